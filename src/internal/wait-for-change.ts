/**
 * The wait behind the shared stores' `waitForChange` (Redis, Deno KV): it ends on the first
 * of a timeout, the caller's abort, a wake-up from the store's notifications, or a poll that
 * sees a change. The stores differ only in how they poll and listen.
 *
 * @module
 */

/** How one wait polls and listens. */
export interface ChangeWait {
  /** The longest wait, ms (already checked and capped by the store). */
  timeoutMs: number;
  /** Ends the wait early. */
  signal?: AbortSignal | undefined;
  /** The interval between polls, ms. */
  pollIntervalMs: number;
  /** Whether the store changed since the wait's baseline; a rejection ends the wait too. */
  changed: () => Promise<boolean>;
  /** Subscribes `wake` to the store's notifications; returns the unsubscribe. */
  listen?: (wake: () => void) => () => void;
  /**
   * Resolves once the subscription is live; one more poll then catches a write that landed
   * before it.
   */
  ready?: () => Promise<unknown>;
}

/**
 * Resolves when the wait ends. Never rejects: a failing poll ends it, so the caller's next
 * read reports the failure.
 */
export function waitForChange(wait: ChangeWait): Promise<void> {
  const { signal } = wait;
  if (wait.timeoutMs <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let settled = false;
    let polling = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      unlisten();
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    const check = (): void => {
      if (settled || polling) return;
      polling = true;
      wait.changed().then((changed) => {
        polling = false;
        if (changed) finish();
      }, finish);
    };
    const timer = setTimeout(finish, wait.timeoutMs);
    const poll = setInterval(check, wait.pollIntervalMs);
    const unlisten = wait.listen?.(finish) ?? ((): void => {});
    signal?.addEventListener('abort', finish, { once: true });
    if (wait.ready) void wait.ready().then(check);
  });
}
