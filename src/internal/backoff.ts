/**
 * The one backoff of line-token, used by the client's retries and the token manager:
 * exponential from `initialMs`, capped at `maxMs`, with "equal jitter" (a random wait
 * between half and all of the step) so a fleet spreads out yet never retries at once.
 *
 * @module
 */

/** Backoff settings in the shared vocabulary (see `RetryOptions` of the client). */
export interface Backoff {
  /** The first wait, ms; doubled per further failure. */
  readonly initialMs: number;
  /** The longest wait, ms. */
  readonly maxMs: number;
}

/**
 * How the step is randomised: `true` equal jitter (between half and all of it), `false`
 * none, or a function from the step to the wait (a bad result falls back to the step).
 */
export type Jitter = boolean | ((backoffMs: number) => number);

/** The step after `failures` consecutive failures (1 = the first): no jitter. */
export function backoffStepMs(failures: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, failures - 1));
}

/**
 * The wait after `failures` consecutive failures, jitter applied with the draw `r` in
 * [0, 1).
 *
 * @example
 * ```ts
 * backoffDelayMs(3, { initialMs: 1000, maxMs: 60_000 }, true, Math.random()); // 2000..4000
 * ```
 */
export function backoffDelayMs(
  failures: number,
  backoff: Backoff,
  jitter: Jitter,
  r: number,
): number {
  const step = backoffStepMs(failures, backoff);
  if (jitter === false) return step;
  if (jitter === true) return step / 2 + (step / 2) * r;
  const jittered = jitter(step);
  return Number.isFinite(jittered) && jittered >= 0 ? jittered : step;
}
