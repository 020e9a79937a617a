/**
 * Abort-signal plumbing for the transport: one signal per attempt that fires on the
 * caller's abort or on our timeout, whichever comes first.
 *
 * @module
 */

/**
 * The abort plumbing of one HTTP attempt: one controller, one timer, and at most one
 * listener on the caller's signal. Cheaper than `AbortSignal.any` plus a controller per
 * timeout (measured: bench/client.bench.ts), and it also lets {@link Attempt.run} guard
 * the whole attempt (headers and body) with a single promise.
 */
export interface Attempt {
  /** The signal to hand to `fetch`: aborts on the caller's abort or on our timeout. */
  readonly signal: AbortSignal;
  /** True once our timer, not the caller, aborted the attempt. */
  readonly timedOut: boolean;
  /**
   * Settles like `work()`, or rejects with the abort reason as soon as the attempt is
   * aborted, so a `fetch` that ignores its signal cannot hang the caller.
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
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  #rejectRun: ((reason: unknown) => void) | undefined;
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
    return this.#controller.signal;
  }

  abort(reason: unknown): void {
    this.#controller.abort(reason);
    this.#rejectRun?.(reason);
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#rejectRun = reject;
      const signal = this.#controller.signal;
      if (signal.aborted) reject(signal.reason);
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
