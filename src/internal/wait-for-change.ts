/**
 * The wait behind the stores' `waitForChange`: ends on the first of a timeout, the caller's
 * abort, a wake-up from the store's notifications, or a poll that sees a change. Shared by
 * the Redis and Deno KV stores, whose waits differ only in how they poll and listen.
 *
 * @module
 */

// setTimeout holds a signed 32-bit delay; a longer one would fire at once.
const MAX_TIMER_MS = 2_147_483_647;

/** How one wait polls and listens. */
export interface ChangeWait {
  /** Longest wait, ms (clamped to what a timer holds). */
  timeoutMs: number;
  /** Ends the wait early. */
  signal?: AbortSignal | undefined;
  /** Interval between polls, ms. */
  pollIntervalMs: number;
  /** Whether the store changed since the wait's baseline; a rejection ends the wait too. */
  changed: () => Promise<boolean>;
  /** Subscribes `wake` to the store's notifications; returns the unsubscribe. */
  listen?: (wake: () => void) => () => void;
  /** Called after `listen`: resolves once the subscription is live, when one more poll catches an early write. */
  ready?: () => Promise<unknown>;
}

/** Resolves when the wait ends; never rejects (a failing poll ends it, for the caller's next read to report). */
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
    const timer = setTimeout(finish, Math.min(wait.timeoutMs, MAX_TIMER_MS));
    const poll = setInterval(check, wait.pollIntervalMs);
    const unlisten = wait.listen?.(finish) ?? (() => {});
    signal?.addEventListener('abort', finish, { once: true });
    void wait.ready?.().then(check);
  });
}
