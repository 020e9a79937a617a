/**
 * What an error means and what to do about it, in one table: the only place that reads
 * LINE's terse refusal texts. `explainLineFailure()`, the token manager's hints, the CLI's
 * hints and `line-token doctor` all ask {@link adviceFor}; each picks the wording for its
 * audience (the CLI's names its flags) from the same entry, so a new LINE text or a better
 * fix is added once. Pure and portable: it reads only the error and the non-secret
 * context the caller passes.
 *
 * @module
 */
import {
  InvalidArgumentError,
  InvalidKeyError,
  LineApiError,
  LineNetworkError,
  LineTimeoutError,
  TokenUnavailableError,
} from '../errors.js';

/**
 * Whether an error is the user's configuration to fix (an option, a credential, a key)
 * rather than a failure at run time. A bad key or option found by the manager while it
 * signs is still the user's. The CLI (exit 2) and the demo (exit 2) both decide by it.
 */
export function isConfigurationError(error: unknown): boolean {
  if (error instanceof InvalidArgumentError || error instanceof InvalidKeyError) return true;
  return (
    error instanceof TokenUnavailableError &&
    (error.cause instanceof InvalidArgumentError || error.cause instanceof InvalidKeyError)
  );
}

/** The non-secret context of a failed call: which channel and key it was for. */
export interface FailureContext {
  /** The channel id the call was made for. */
  channelId?: string | undefined;
  /** The assertion key id, when the call used an assertion. */
  kid?: string | undefined;
  /** The strategy or family, e.g. `v2.1`, `stateless`, `short-lived`. */
  strategy?: string | undefined;
}

/** Which failure an {@link Advice} is about. */
export type AdviceTopic =
  | 'unknown-kid'
  | 'kid-on-other-channel'
  | 'bad-signature'
  | 'bad-exp'
  | 'bad-assertion'
  | 'token-limit'
  | 'bad-secret'
  | 'unknown-channel'
  | 'rate-limited'
  | 'timeout'
  | 'unreachable';

/** What a failure likely means and what to do, for each audience. */
export interface Advice {
  /** Which failure this is. */
  readonly topic: AdviceTopic;
  /**
   * Whether it is a refusal retrying cannot fix (the user must change something); false
   * for rate limits and network failures, which pass.
   */
  readonly permanent: boolean;
  /** The likely cause, in the library's words (names the kid and channel when known). */
  readonly cause: string;
  /** What to do, one sentence, in the library's words. */
  readonly fix: string;
  /** What to do, in the CLI's words (its flags and commands); undefined where it has none. */
  readonly cliFix: string | undefined;
}

const REGISTER = 'LINE Developers Console > your channel > Basic settings > Assertion Signing Key';

/** LINE's texts for a refused assertion or credential, as one string to match on. */
function said(error: LineApiError): string {
  return [error.lineMessage, error.error, error.errorDescription].filter(Boolean).join(' ');
}

type Entry = (
  error: LineApiError,
  text: string,
  kid: string,
  channel: string,
) => Advice | undefined;

const permanent = (
  topic: AdviceTopic,
  cause: string,
  fix: string,
  cliFix: string | undefined,
): Advice => ({ topic, permanent: true, cause, fix, cliFix });

// LINE's refusals, most specific first. Each entry reads LINE's words once for everyone.
const LINE_REFUSALS: readonly Entry[] = [
  (error, text, kid) =>
    // LINE answers this text only with 404; another status is something else answering.
    error.status === 404 && /Cannot find channel key/i.test(text)
      ? permanent(
          'unknown-kid',
          `${kid} is not registered on any channel`,
          `register the key's public JWK (line-token keygen --private-key FILE prints it) in the ${REGISTER}, and use the kid the Console answers`,
          'check --kid: it must be the kid the Console gave for this key',
        )
      : undefined,
  (_error, text, kid, channel) =>
    /iss and clientId of key do not match/i.test(text)
      ? permanent(
          'kid-on-other-channel',
          `${kid} is registered on another channel than ${channel}`,
          `check the channel id; if it is right, register this key's public JWK on ${channel} (${REGISTER}) and use the kid the Console answers`,
          'check --channel-id: the key belongs to another channel',
        )
      : undefined,
  (_error, text, kid) =>
    /Invalid signature/i.test(text)
      ? permanent(
          'bad-signature',
          `the private key does not match ${kid}: LINE holds another public key under it`,
          `sign with the private key whose public half you registered as ${kid}, or register this key's public JWK and use its new kid`,
          "the private key does not match the kid: check that --kid (LINE_ASSERTION_KID) is the kid the Console gave for this key's public half",
        )
      : undefined,
  (_error, text) =>
    /Invalid exp/i.test(text)
      ? permanent(
          'bad-exp',
          "LINE refuses the assertion's exp: this machine's clock is off, or the assertion lifetime is over 30 minutes",
          'sync the clock with NTP (line-token doctor measures the offset) and keep the assertion lifetime at 30 minutes or less',
          undefined,
        )
      : undefined,
  (_error, text) =>
    /Invalid aud|Invalid alg|Invalid typ|not a JWS/i.test(text)
      ? permanent(
          'bad-assertion',
          'the assertion is not the JWT LINE expects (aud, alg or typ)',
          'sign assertions with signAssertion() or line-token assertion, which set them right',
          undefined,
        )
      : undefined,
  (_error, text, _kid, channel) =>
    /maximum number of access tokens/i.test(text)
      ? permanent(
          'token-limit',
          `${channel} already holds 30 live v2.1 tokens, LINE's limit`,
          'revoke the tokens you no longer use (line-token kids lists them) or wait for some to expire; share one token per channel through a store instead of issuing one per process',
          'revoke unused v2.1 tokens (see "line-token kids") or wait for some to expire',
        )
      : undefined,
  (_error, text, _kid, channel) =>
    /invalid client_secret/i.test(text)
      ? permanent(
          'bad-secret',
          `LINE refuses the channel secret for ${channel}: the secret is wrong, another channel's, or was reissued`,
          `copy the Channel secret from ${channel}'s Basic settings in the LINE Developers Console`,
          'check the channel secret',
        )
      : undefined,
  // The stateless issue's answer to a wrong id or a wrong secret alike (docs/line-rules.md).
  (_error, text, _kid, channel) =>
    /Invalid 'client_credentials'/i.test(text)
      ? permanent(
          'bad-secret',
          `LINE refuses the channel secret for ${channel}: the secret is wrong, another channel's, or was reissued`,
          `copy the Channel secret from ${channel}'s Basic settings in the LINE Developers Console; LINE gives this answer for a wrong channel ID too, so check the channel ID and channel secret together`,
          'check the channel secret',
        )
      : undefined,
  (_error, text, _kid, channel) =>
    /invalid client_id/i.test(text)
      ? permanent(
          'unknown-channel',
          `LINE knows no ${channel}`,
          'copy the Channel ID from Basic settings in the LINE Developers Console',
          'check --channel-id',
        )
      : undefined,
  (_error, text) =>
    /rate limit/i.test(text)
      ? {
          topic: 'rate-limited',
          permanent: false,
          cause: 'LINE is rate limiting these calls',
          fix: 'slow down and retry later',
          cliFix: 'slow down and retry later',
        }
      : undefined,
];

/**
 * What `error` likely means and what to do about it, or `undefined` when it is not a
 * failure we know advice for (a 5xx, an unknown LINE text, a bug).
 *
 * @param context - Which channel and kid the call was for, so the advice can name them.
 * @example
 * ```ts
 * const advice = adviceFor(err, { channelId: '1573163733', kid });
 * if (advice?.permanent) log.error(`${advice.cause}: ${advice.fix}`);
 * ```
 */
export function adviceFor(error: unknown, context: FailureContext = {}): Advice | undefined {
  if (error instanceof LineApiError) {
    const text = said(error);
    const kid = context.kid !== undefined ? `kid ${context.kid}` : 'the kid';
    const channel =
      context.channelId !== undefined ? `channel ${context.channelId}` : 'the channel';
    for (const entry of LINE_REFUSALS) {
      const advice = entry(error, text, kid, channel);
      if (advice !== undefined) return advice;
    }
    return undefined;
  }
  if (error instanceof LineTimeoutError) {
    return {
      topic: 'timeout',
      permanent: false,
      cause: 'LINE did not answer in time',
      fix: 'check the network, or raise the timeout',
      cliFix: 'LINE did not answer in time: check the network, or raise --timeout',
    };
  }
  if (error instanceof LineNetworkError) {
    return {
      topic: 'unreachable',
      permanent: false,
      cause: 'LINE could not be reached',
      fix: 'check the network and the base URL',
      cliFix: 'check the network and --base-url',
    };
  }
  return undefined;
}

/** What to do when other holders take the channel's slots: said by warnings and errors. */
export const SEPARATE_STORES_ADVICE =
  'several processes manage this channel with separate stores (each holds a token of its own): give them one store (file, Redis, Durable Object, Deno KV) so they share one token, or use stateless tokens where instances come and go';
