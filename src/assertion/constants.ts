/**
 * Limits LINE puts on assertions and v2.1 tokens, as exported, unit-named constants.
 * Source: https://developers.line.biz/en/docs/messaging-api/generate-json-web-token/
 *
 * @module
 */

/**
 * How far ahead of `now()` an assertion's `exp` is set by default, in seconds.
 *
 * Five minutes: long enough to survive a slow network and a few minutes of clock drift
 * between this machine and LINE, short enough that a leaked assertion is soon useless.
 *
 * @example
 * ```ts
 * await signAssertion({ channelId, kid, privateKey, lifetimeSec: DEFAULT_ASSERTION_LIFETIME_SEC });
 * ```
 */
export const DEFAULT_ASSERTION_LIFETIME_SEC = 300;

/**
 * The most an assertion's `exp` may be ahead of now, in seconds: LINE refuses an assertion
 * that expires more than 30 minutes out (`invalid_client` / `Invalid exp`). Using the full
 * 1800 leaves no room for a clock that runs ahead of LINE's, which is why the default is less.
 */
export const MAX_ASSERTION_LIFETIME_SEC = 1800;

/**
 * The longest v2.1 token LINE issues, in seconds (30 days). `tokenExpSec` must be an
 * integer from 1 to this.
 */
export const MAX_TOKEN_EXP_SEC = 2_592_000;

/** The smallest RSA modulus LINE accepts for an assertion signing key, in bits. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** The `aud` LINE requires, trailing slash included (without it LINE answers `invalid_client`). */
export const LINE_ASSERTION_AUDIENCE = 'https://api.line.me/';
