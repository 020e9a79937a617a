/**
 * The assertion's default lifetime, and LINE's limits on assertions and v2.1 tokens
 * (re-exported from line/facts.ts for the assertion's modules; users get them as LINE_FACTS).
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

// LINE's own limits live in one place for every part.
export {
  LINE_ASSERTION_AUDIENCE,
  MAX_ASSERTION_LIFETIME_SEC,
  MAX_TOKEN_EXP_SEC,
  MIN_RSA_MODULUS_BITS,
} from '../line/facts.js';
