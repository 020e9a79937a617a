/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts, so a
 * caller stops waiting even when the work itself cannot be cancelled (a `fetch` that
 * ignores its signal, a shared refresh other callers still wait for). Without a signal it
 * returns `promise` itself.
 */
export function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    // The caller has stopped waiting; a later failure of the work is not its to handle,
    // and must not surface as an unhandled rejection.
    promise.catch(() => {});
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
