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

// LINE's own limits live in one place for every part; the assertion API re-exports them.
export {
  LINE_ASSERTION_AUDIENCE,
  MAX_ASSERTION_LIFETIME_SEC,
  MAX_TOKEN_EXP_SEC,
  MIN_RSA_MODULUS_BITS,
} from '../line/facts.js';
