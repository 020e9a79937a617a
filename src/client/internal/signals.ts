/**
 * Abort plumbing for the transport: one cancellation per attempt that fires on the
 * caller's abort or on our timeout, whichever comes first.
 *
 * @module
 */
import type { WireCancel } from '../wire.js';

/**
 * The abort plumbing of one HTTP attempt: one timer, at most one listener on the caller's
 * signal, and an `AbortController` only for a wire that asks for a signal. Node's wire
 * does not: it destroys its request from {@link WireCancel.onCancel}, because handing
 * `node:http` a signal costs about 35 µs of CPU per request (its stream abort plumbing;
 * measured side by side with a timer that destroys the request). Cheaper
 * than `AbortSignal.any` plus a controller per timeout, and {@link Attempt.run} guards the
 * whole attempt (headers and body) with a single promise.
 */
export interface Attempt extends WireCancel {
  /** True once our timer, not the caller, aborted the attempt. */
  readonly timedOut: boolean;
  /** Why the attempt was aborted: the caller's reason or the timeout's; undefined before. */
  readonly reason: unknown;
  /**
   * Settles like `work()`, or rejects with the abort reason as soon as the attempt is
   * aborted, so a wire that ignores its cancellation cannot hang the caller.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Stops the timer and detaches from the caller's signal; call once the attempt ends. */
  dispose(): void;
}

function onTimeout(attempt: AttemptImpl): void {
  attempt.timedOut = true;
  attempt.abort(attempt.timeoutReason());
}

// A class rather than a closure-built object: one allocation with a stable shape per
// attempt, and the timer callback is a shared function given the attempt as argument.
class AttemptImpl implements Attempt {
  #controller: AbortController | undefined;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  #rejectRun: ((reason: unknown) => void) | undefined;
  #onCancel: ((reason: unknown) => void) | undefined;
  #aborted = false;
  reason: unknown = undefined;
  timedOut = false;
  readonly timeoutReason: () => unknown;

  constructor(
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
    timeoutReason: () => unknown,
  ) {
    this.timeoutReason = timeoutReason;
    this.#timer = setTimeout(onTimeout, timeoutMs, this);
    this.#callerSignal = callerSignal;
    if (callerSignal !== undefined) {
      this.#onCallerAbort = () => this.abort(callerSignal.reason);
      callerSignal.addEventListener('abort', this.#onCallerAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.reason);
    }
    return this.#controller.signal;
  }

  onCancel(listener: (reason: unknown) => void): void {
    if (this.#aborted) listener(this.reason);
    else this.#onCancel = listener;
  }

  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.reason = reason;
    this.#controller?.abort(reason);
    this.#onCancel?.(reason);
    this.#rejectRun?.(reason);
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#rejectRun = reject;
      if (this.#aborted) reject(this.reason);
      else work().then(resolve, reject);
    });
  }

  dispose(): void {
    clearTimeout(this.#timer);
    if (this.#onCallerAbort !== undefined) {
      this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort);
    }
  }
}

/**
 * Starts an attempt that times out after `timeoutMs` with `timeoutReason()` as the abort
 * reason (built only if the timer fires), and follows `callerSignal` (which must not be
 * aborted yet).
 */
export function startAttempt(
  callerSignal: AbortSignal | undefined,
  timeoutMs: number,
  timeoutReason: () => unknown,
): Attempt {
  return new AttemptImpl(callerSignal, timeoutMs, timeoutReason);
}
