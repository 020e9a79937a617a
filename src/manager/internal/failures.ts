/**
 * What the refresher remembers of its failures, and the schedule they set: when the next
 * attempt may start, whether it gave up, the last error. The refresher decides when to try;
 * this module decides how long to wait after a failure and reports it to `onRefreshError`.
 *
 * @module
 */
import { LineApiError, type LineTokenError, type TokenUnavailableError } from '../../errors.js';
import type { TokenManagerStatus } from '../types.js';
import { IssueBlocked } from './limit.js';
import type { Settings } from './options.js';
import { describeError, errorCode } from './outcome.js';
import { backoffDelayMs, isAmbiguous, isTransient } from './policy.js';

/** The failure record of one refresher. */
export class Failures {
  #nextAttemptAt = Number.NEGATIVE_INFINITY;
  #transient = 0;
  #permanent = 0;
  #lastPermanent = false;
  /** The last failure was the budget: no use waiting through the backoff for it. */
  #lastBlocks = false;
  /** Ambiguous issue failures in a row (v2.1, short-lived): each may have cost a slot. */
  #ambiguousInRow = 0;
  #lastError: LineTokenError | undefined;
  #lastErrorAt = 0;
  #stopped: TokenUnavailableError | undefined;
  readonly #s: Settings;
  readonly #costsSlots: boolean;
  readonly #unavailable: (err: unknown, gaveUpAfter: number) => TokenUnavailableError;

  constructor(deps: {
    settings: Settings;
    /** Whether an issue may cost a slot (every type but stateless). */
    costsSlots: boolean;
    unavailable: (err: unknown, gaveUpAfter: number) => TokenUnavailableError;
  }) {
    this.#s = deps.settings;
    this.#costsSlots = deps.costsSlots;
    this.#unavailable = deps.unavailable;
  }

  /** When the next attempt may start, epoch ms (`-Infinity`: now). */
  get nextAttemptAt(): number {
    return this.#nextAttemptAt;
  }

  /** Set once the manager gave up after repeated permanent failures. */
  get stopped(): TokenUnavailableError | undefined {
    return this.#stopped;
  }

  get lastError(): LineTokenError | undefined {
    return this.#lastError;
  }

  /** A caller with no token should fail fast: the last failure is not retried before `nextAttemptAt`. */
  get failFast(): boolean {
    return this.#lastPermanent || this.#lastBlocks;
  }

  /** The failure fields of `status()`. */
  status(): Pick<TokenManagerStatus, 'nextAttemptAt' | 'stopped' | 'lastError'> {
    const err = this.#lastError;
    return {
      // Whole milliseconds, as every epoch time of `status()`; rounded up, never earlier.
      nextAttemptAt: Number.isFinite(this.#nextAttemptAt)
        ? Math.ceil(this.#nextAttemptAt)
        : undefined,
      stopped: this.#stopped !== undefined,
      lastError:
        err === undefined
          ? undefined
          : { code: errorCode(err), message: describeError(err), at: Math.ceil(this.#lastErrorAt) },
    };
  }

  /** An attempt succeeded: the backoff starts over. */
  succeeded(): void {
    this.#transient = 0;
    this.#permanent = 0;
    this.#ambiguousInRow = 0;
    this.#lastPermanent = false;
    this.#lastBlocks = false;
    this.#nextAttemptAt = Number.NEGATIVE_INFINITY;
  }

  /**
   * Records a failed attempt at `t`, sets the next attempt's time and tells
   * `onRefreshError`. `serveUntil` is the current token's last moment. Returns whether the
   * failure is worth retrying.
   */
  record(err: LineTokenError, t: number, serveUntil: number): boolean {
    const blocks = err instanceof IssueBlocked;
    const transient = blocks || isTransient(err);
    this.#lastError = err;
    this.#lastErrorAt = t;
    this.#lastPermanent = !transient;
    this.#lastBlocks = blocks;
    // Each ambiguous issue of a v2.1 or short-lived token may have cost a slot: never
    // repeated at the transient pace, nor hurried by the serving deadline.
    const costly = this.#costsSlots && isAmbiguous(err);
    if (costly) this.#ambiguousInRow++;
    else if (!blocks) this.#ambiguousInRow = 0;
    if (blocks) {
      // Unaccounted tokens go away only when they expire: look again at the slowest pace.
      this.#nextAttemptAt = t + this.#s.backoff.maxMs;
    } else if (transient) {
      this.#transient++;
      const retryAfterSec = err instanceof LineApiError ? err.retryAfterSec : undefined;
      const remainingMs = serveUntil - t;
      const delay = backoffDelayMs(
        this.#transient + 2 * this.#ambiguousInRow,
        this.#s.backoff,
        this.#s.random(),
        retryAfterSec,
        costly || remainingMs <= 0 ? undefined : remainingMs,
      );
      this.#nextAttemptAt = t + delay;
    } else {
      this.#permanent++;
      this.#nextAttemptAt = t + this.#s.backoff.maxMs;
      if (this.#permanent >= this.#s.maxPermanentFailures) {
        this.#stopped = this.#unavailable(err, this.#permanent);
      }
    }
    // Made safe once, in options.ts: a hook that throws is reported as HOOK_FAILED.
    this.#s.hooks.onRefreshError({
      error: err,
      permanent: !transient,
      nextAttemptAt: this.#stopped === undefined ? this.#nextAttemptAt : undefined,
      servingCurrentToken: t < serveUntil,
    });
    return transient;
  }
}
