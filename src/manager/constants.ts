/**
 * The manager's fixed numbers that are not options (so not in `TOKEN_MANAGER_DEFAULTS`).
 *
 * @module
 */

/** A clock difference beyond this (ms) between this process and LINE or the store is warned about, once. */
export const CLOCK_SKEW_WARN_MS = 5_000;

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
 * The starting timeout of an issue call when `clientOptions.timeoutMs` is not given, ms.
 * Longer than other calls: an issue that takes 12 s is better than a lost slot.
 */
export const DEFAULT_ISSUE_TIMEOUT_MS = 30_000;

/**
 * A token LINE refuses within this long of its issue (or a quarter of its lifetime, if
 * less), twice in a row, means another holder is taking the channel's slots (ms).
 */
export const EARLY_REVOCATION_MS = 3_600_000;
