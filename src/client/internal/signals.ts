/**
 * Abort-signal plumbing for the transport: one signal per attempt that fires on the
 * caller's abort or on our timeout, whichever comes first, and a cancellable sleep.
 *
 * @module
 */

/** A signal that follows several others, plus a way to stop following them. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Detaches the listeners, so a long-lived caller signal does not collect one per request. */
  dispose(): void;
}

type AnyFn = (signals: AbortSignal[]) => AbortSignal;

const nativeAny: AnyFn | null =
  typeof (AbortSignal as { any?: unknown }).any === 'function'
    ? (signals) => (AbortSignal as unknown as { any: AnyFn }).any(signals)
    : null;

/**
 * A signal that aborts, with the same reason, as soon as any of `signals` does.
 * Uses `AbortSignal.any` where the runtime has it (Node >= 20.3, modern browsers and
 * edge runtimes) and a small listener-based fallback elsewhere (`anyImpl: null` forces
 * the fallback, for its tests).
 */
export function linkSignals(
  signals: AbortSignal[],
  anyImpl: AnyFn | null = nativeAny,
): LinkedSignal {
  // AbortSignal.any holds its sources weakly and needs no cleanup.
  if (anyImpl !== null) return { signal: anyImpl(signals), dispose() {} };
  const controller = new AbortController();
  const cleanups: Array<() => void> = [];
  const dispose = (): void => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  for (const source of signals) {
    if (source.aborted) {
      controller.abort(source.reason);
      dispose();
      break;
    }
    const onAbort = (): void => {
      controller.abort(source.reason);
      dispose();
    };
    source.addEventListener('abort', onAbort, { once: true });
    cleanups.push(() => source.removeEventListener('abort', onAbort));
  }
  return { signal: controller.signal, dispose };
}

/**
 * Waits `ms` milliseconds; rejects with the signal's reason as soon as it aborts.
 * The default `retry.delay` of the client.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
