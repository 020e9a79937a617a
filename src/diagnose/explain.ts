/**
 * Turns LINE's terse refusals into a likely cause and a fix. Pure: it reads only the
 * error's status and LINE's texts plus the non-secret context the caller passes, so the
 * token manager can attach it to the error that stops it and `diagnose()` can reuse it.
 *
 * @module
 */
import { LineApiError } from '../errors.js';
import type { FailureExplanation } from './types.js';

/** The non-secret context of a failed call: which channel and key it was for. */
export interface FailureContext {
  /** The channel id the call was made for. */
  channelId?: string | undefined;
  /** The assertion key id, when the call used an assertion. */
  kid?: string | undefined;
  /** The strategy or family, e.g. `v2.1`, `stateless`, `short-lived`. */
  strategy?: string | undefined;
}

const REGISTER = 'LINE Developers Console > your channel > Basic settings > Assertion Signing Key';

/** LINE's texts for a refused assertion or credential, as one string to match on. */
function said(error: LineApiError): string {
  return [error.lineMessage, error.error, error.errorDescription].filter(Boolean).join(' ');
}

/**
 * The likely cause of a permanent refusal and how to fix it, or `undefined` when the
 * error is not one we can explain (a 5xx, a rate limit, an unknown text).
 *
 * @example
 * ```ts
 * const why = explainLineFailure(err, { channelId: '1573163733', kid, strategy: 'v2.1' });
 * if (why) log.error(`${why.cause}: ${why.fix}`);
 * ```
 */
export function explainLineFailure(
  error: unknown,
  context: FailureContext = {},
): FailureExplanation | undefined {
  if (!(error instanceof LineApiError)) return undefined;
  const text = said(error);
  const kid = context.kid !== undefined ? `kid ${context.kid}` : 'the kid';
  const channel = context.channelId !== undefined ? `channel ${context.channelId}` : 'the channel';
  if (error.status === 404 && /Cannot find channel key/i.test(text)) {
    return {
      cause: `${kid} is not registered on any channel`,
      fix: `register the key's public JWK (line-token keygen --private-key FILE prints it) in the ${REGISTER}, and use the kid the Console answers`,
    };
  }
  if (/iss and clientId of key do not match/i.test(text)) {
    return {
      cause: `${kid} is registered on another channel than ${channel}`,
      fix: `check the channel id; if it is right, register this key's public JWK on ${channel} (${REGISTER}) and use the kid the Console answers`,
    };
  }
  if (/Invalid signature/i.test(text)) {
    return {
      cause: `the private key does not match ${kid}: LINE holds another public key under it`,
      fix: `sign with the private key whose public half you registered as ${kid}, or register this key's public JWK and use its new kid`,
    };
  }
  if (/Invalid exp/i.test(text)) {
    return {
      cause:
        "LINE refuses the assertion's exp: this machine's clock is off, or the assertion lifetime is over 30 minutes",
      fix: 'sync the clock with NTP (line-token doctor measures the offset) and keep the assertion lifetime at 30 minutes or less',
    };
  }
  if (/Invalid aud|Invalid alg|Invalid typ|not a JWS/i.test(text)) {
    return {
      cause: 'the assertion is not the JWT LINE expects (aud, alg or typ)',
      fix: 'sign assertions with signAssertion() or line-token assertion, which set them right',
    };
  }
  if (/maximum number of access tokens/i.test(text)) {
    return {
      cause: `${channel} already holds 30 live v2.1 tokens, LINE's limit`,
      fix: 'revoke the tokens you no longer use (line-token kids lists them) or wait for some to expire; share one token per channel through a store instead of issuing one per process',
    };
  }
  if (/Invalid 'client_credentials'|invalid client_secret/i.test(text)) {
    return {
      cause: `LINE refuses the channel secret for ${channel}: the secret is wrong, another channel's, or was reissued`,
      fix: `copy the Channel secret from ${channel}'s Basic settings in the LINE Developers Console`,
    };
  }
  if (/invalid client_id/i.test(text)) {
    return {
      cause: `LINE knows no ${channel}`,
      fix: 'copy the Channel ID from Basic settings in the LINE Developers Console',
    };
  }
  return undefined;
}
