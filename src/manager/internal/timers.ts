/**
 * Timer plumbing of the manager: background schedules that never keep a process alive,
 * long delays split into what `setTimeout` can hold, a cancellable sleep and timeouts.
 *
 * @module
 */
import { MAX_TIMER_MS } from '../../internal/validate.js';
import type { ManagerTimers } from '../types.js';

/**
 * The global timers. Not unref'd here: a caller awaiting a backoff must keep the process
 * alive. Background schedules unref their own handles (see {@link scheduleAt}).
 */
export const systemTimers: ManagerTimers = {
  setTimeout(callback, delayMs) {
    return setTimeout(callback, delayMs);
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Lets the process exit while `handle` waits, where the runtime supports it (Node, Bun, Deno). */
function unref(handle: unknown): unknown {
  (handle as { unref?: () => void } | null)?.unref?.();
  return handle;
}

/**
 * Calls `callback` once `now()` reaches `at`, however far away that is, and never before
 * returning; returns a cancel function. Re-checks the clock on each wake, so a clock that
 * jumps is followed. For background work (keep-warm, retries nobody awaits, revocations):
 * the timer never keeps the process alive.
 */
export function scheduleAt(
  timers: ManagerTimers,
  now: () => number,
  at: number,
  callback: () => void,
): () => void {
  let handle: unknown;
  let cancelled = false;
  const arm = (): void => {
    if (cancelled) return;
    const delay = at - now();
    if (delay <= 0) {
      handle = undefined;
      callback();
      return;
    }
    handle = unref(timers.setTimeout(arm, Math.min(delay, MAX_TIMER_MS)));
  };
  // Never synchronously: the caller finishes its own bookkeeping before the callback runs.
  handle = unref(timers.setTimeout(arm, Math.min(Math.max(0, at - now()), MAX_TIMER_MS)));
  return () => {
    cancelled = true;
    if (handle !== undefined) timers.clearTimeout(handle);
  };
}

/**
 * Settles like `promise`, or rejects with `onTimeout()` after `ms` of real time. I/O
 * waits are measured on the real clock, like the client's `timeoutMs`, never on the
 * injected one: a virtual clock jumping ahead must not time out a store call in flight.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = systemTimers.setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        systemTimers.clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        systemTimers.clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * One background wake-up at a time: asking for an earlier one replaces it, a later one is
 * ignored (the earlier wake-up decides again then).
 */
export class Wake {
  #at = Number.POSITIVE_INFINITY;
  #cancel: (() => void) | undefined;
  readonly #timers: ManagerTimers;
  readonly #now: () => number;
  readonly #onWake: () => void;

  constructor(timers: ManagerTimers, now: () => number, onWake: () => void) {
    this.#timers = timers;
    this.#now = now;
    this.#onWake = onWake;
  }

  /** Wakes at `at` (epoch ms) unless an earlier wake-up is set. */
  at(at: number): void {
    if (at >= this.#at) return;
    this.#cancel?.();
    this.#at = at;
    this.#cancel = scheduleAt(this.#timers, this.#now, at, () => {
      this.#at = Number.POSITIVE_INFINITY;
      this.#cancel = undefined;
      this.#onWake();
    });
  }

  /** Cancels the wake-up set, if any. */
  cancel(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    this.#at = Number.POSITIVE_INFINITY;
  }
}
