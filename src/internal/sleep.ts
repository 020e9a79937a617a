/**
 * The one cancellable sleep of every part: the client's retry delay, the manager's backoff
 * (on its injectable timers) and the CLI's retry progress.
 *
 * @module
 */
import { MAX_TIMER_MS } from './validate.js';

/** The timer functions a sleep runs on: the global ones, or a test's fake ones. */
export interface SleepTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const GLOBAL_TIMERS: SleepTimers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/**
 * Waits `ms` (clamped to what a timer holds, so a huge wait never fires at once); rejects
 * with the signal's reason as soon as it aborts.
 */
export function sleep(
  ms: number,
  signal?: AbortSignal,
  timers: SleepTimers = GLOBAL_TIMERS,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      timers.clearTimeout(handle);
      reject(signal?.reason as Error);
    };
    const handle = timers.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(0, ms), MAX_TIMER_MS),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
