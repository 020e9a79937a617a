/**
 * The options of an assertion ({@link AssertionOptions}), for `signAssertion()` and
 * `createAssertionSigner()`; checked by a spec in internal/options.ts.
 *
 * @module
 */
import type { AssertionKey, PrivateKeyInput } from './key.js';

/** What an assertion is signed from. */
export interface AssertionOptions {
  /** The channel id (digits), used as both `iss` and `sub`. */
  channelId: string;
  /** The key id the LINE Developers Console answered when the public key was registered. */
  kid: string;
  /** The private key, in any accepted form or as an imported {@link AssertionKey}. */
  privateKey: PrivateKeyInput | AssertionKey;
  /**
   * Lifetime of the v2.1 token to issue (`token_exp`), in seconds, 1 to
   * `LINE_FACTS.maxTokenExpSec` (30 days). Omitted: no `token_exp` claim, which is right for key-id
   * listing and the stateless issue; LINE refuses a v2.1 issue without it.
   *
   * @defaultValue none (no `token_exp` claim)
   */
  tokenExpSec?: number | undefined;
  /**
   * How far ahead `exp` is, in seconds, 1 to `LINE_FACTS.maxAssertionLifetimeSec` (1800).
   * Five minutes by default: long enough to survive a slow network and some clock drift,
   * short enough that a leaked assertion is soon useless.
   *
   * @defaultValue 300
   */
  lifetimeSec?: number | undefined;
  /**
   * The clock, in epoch milliseconds.
   *
   * @defaultValue `Date.now`
   */
  now?: (() => number) | undefined;
}
