/**
 * The token manager's defaults, each named with its unit. Every one can be overridden
 * through {@link TokenManagerOptions}.
 *
 * @module
 */

/**
 * The refresh window is this fraction of the token's lifetime (then clamped), so a
 * 15-minute stateless token is replaced 3 minutes before expiry and a 1-hour v2.1 token
 * 12 minutes before.
 */
export const DEFAULT_REFRESH_WINDOW_FRACTION = 0.2;

/** The shortest refresh window, in milliseconds (never more than half the lifetime). */
export const DEFAULT_MIN_REFRESH_WINDOW_MS = 60_000;

/**
 * The longest refresh window, in milliseconds: a 30-day token is replaced one day before
 * it expires, not six, which keeps a channel's live-token count low.
 */
export const DEFAULT_MAX_REFRESH_WINDOW_MS = 86_400_000;

/**
 * Jitter: each token's window is widened by up to this fraction of itself, at random, so
 * independent processes do not refresh in lockstep.
 */
export const DEFAULT_REFRESH_JITTER = 0.25;

/**
 * A token is never handed out later than this many milliseconds before its expiry (at
 * most a quarter of its lifetime), so a request made with it does not arrive after it.
 */
export const DEFAULT_EXPIRY_MARGIN_MS = 30_000;

/**
 * The first wait after a transient failure, in milliseconds (`retry.backoffMs`); it doubles
 * per failure. Longer than the client's `DEFAULT_BACKOFF_MS` on purpose: the client retries
 * one HTTP call, the manager a whole refresh, with a valid token usually still in hand.
 */
export const DEFAULT_REFRESH_BACKOFF_MS = 1_000;

/**
 * The longest wait between attempts, in milliseconds (`retry.backoffLimitMs`); also the wait after a permanent
 * failure, and the cap on a `Retry-After` LINE asks for.
 */
export const DEFAULT_REFRESH_BACKOFF_LIMIT_MS = 60_000;

/** Attempts a caller with no valid token waits through before `getToken()` rejects. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/**
 * Permanent failures (bad credentials, bad key, the 30-token limit) tolerated before the
 * manager stops asking LINE at all: `getToken()` then rejects at once, and fixing the
 * cause needs a new manager (or a restart).
 */
export const DEFAULT_MAX_PERMANENT_FAILURES = 3;

/**
 * How long a superseded token stays live before the manager revokes it, in milliseconds:
 * long enough for the requests already made with it to finish.
 */
export const DEFAULT_REVOKE_GRACE_MS = 60_000;

/**
 * Attempts at revoking one superseded token before giving up (it then just expires).
 * Transient failures are retried with backoff; with the 60 s cap, 20 attempts span about
 * a quarter of an hour, enough to ride out an outage without leaking a token toward the
 * 30-token limit.
 */
export const DEFAULT_REVOKE_ATTEMPTS = 20;

/**
 * How long the store's "who issues next" lock is held at most, in milliseconds, so a
 * crashed holder blocks the others no longer than this.
 */
export const DEFAULT_LOCK_TTL_MS = 30_000;

/** A clock difference beyond this (ms) between this process and LINE or the store is warned about, once. */
export const DEFAULT_CLOCK_SKEW_WARN_MS = 5_000;

/** How long one wait for another process's write lasts before the lock is tried again, ms. */
export const DEFAULT_LOCK_POLL_MS = 250;

/** The longest a single store call may take before the manager treats the store as down, ms. */
export const DEFAULT_STORE_TIMEOUT_MS = 5_000;

/**
 * Lifetime of the v2.1 tokens the manager issues when the strategy gives no `tokenExpSec`,
 * in seconds: one day. A v2.1 token whose answer was lost (LINE issued it, the answer
 * never arrived) can never be revoked and blocks one of the channel's 30 slots until it
 * expires: one day, not LINE's maximum of 30. The refresh window scales with the
 * lifetime, so the cost is about one issue a day. LINE requires `token_exp` on a v2.1
 * issue, so the manager always sends one.
 */
export const DEFAULT_TOKEN_EXP_SEC = 86_400;

/**
 * Live v2.1 tokens the manager may see on the channel that it cannot account for (not its
 * current token, not a superseded one it will revoke, not the store's) before it stops
 * issuing: each may be a token whose answer was lost. While the channel holds this many,
 * the manager serves the token it has, or rejects with an explanation, until they expire.
 */
export const DEFAULT_UNACCOUNTED_TOKEN_BUDGET = 5;

/**
 * The starting timeout of an issue call when `clientOptions.timeoutMs` is not given, ms.
 * Longer than other calls: an issue that takes 12 s is better than a lost slot.
 */
export const DEFAULT_ISSUE_TIMEOUT_MS = 30_000;

/**
 * The longest timeout an issue call is given, ms. After an issue timed out (LINE may have
 * issued a token whose answer was lost) the next one gets twice the time, up to this; with
 * a store that locks, never more than three quarters of `lockTtlMs`.
 */
export const DEFAULT_MAX_ISSUE_TIMEOUT_MS = 120_000;

// LINE's limit of live tokens per channel, a LINE fact rather than a default, is exported
// with the manager's defaults because its headroom below is counted from it.
export { LIVE_TOKEN_LIMIT } from '../line/facts.js';

/**
 * "Near the limit" means at least `LIVE_TOKEN_LIMIT - DEFAULT_TOKEN_LIMIT_HEADROOM` live
 * v2.1 tokens: the manager then revokes the superseded tokens it knows of at once and
 * warns about the others.
 */
export const DEFAULT_TOKEN_LIMIT_HEADROOM = 2;
