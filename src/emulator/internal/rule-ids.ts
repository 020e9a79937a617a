/**
 * Which emulator rule produced a refusal, as a short id the dashboard's request log shows
 * next to LINE's text. Each refusal is one constant of responses.ts, so the id is looked up
 * by that constant (no field added to the answers the hot path builds and sends).
 *
 * @module
 */
import { INVALID_TOKEN } from '../messaging.js';
import * as R from './responses.js';

const RULE_IDS = new Map<R.Answer, string>([
  [R.BAD_PARAMS, 'params.missing-or-invalid'],
  [R.MALFORMED_BODY, 'http.malformed-body'],
  [R.BAD_CONTENT_TYPE, 'http.content-type'],
  [R.BODY_TOO_LARGE, 'http.body-too-large'],
  [R.UNKNOWN_CLIENT_ID, 'channel.unknown-client-id'],
  [R.WRONG_CLIENT_SECRET, 'channel.wrong-secret'],
  [R.STATELESS_BAD_CREDENTIALS, 'stateless.bad-credentials'],
  [R.V2_TOKEN_INVALID, 'v2.token-invalid'],
  [R.V2_TOKEN_BAD_FORMAT, 'v2.token-format'],
  [R.V2_REVOKE_MISSING, 'v2.revoke-missing-token'],
  [R.V21_NOT_JWS, 'v2.1.token-not-jws'],
  [R.V21_MALFORMED, 'v2.1.token-malformed'],
  [R.V21_EXPIRED, 'v2.1.token-expired'],
  [R.V21_REVOKED, 'v2.1.token-revoked'],
  [R.V21_UNKNOWN, 'v2.1.token-unknown'],
  [R.V21_LIMIT, 'v2.1.limit-30'],
  [R.BAD_TOKEN_EXP, 'v2.1.token-exp'],
  [R.ASSERTION_NOT_JWS, 'assertion.not-jws'],
  [R.ASSERTION_UNKNOWN_KID, 'assertion.unknown-kid'],
  [R.ASSERTION_BAD_ALG, 'assertion.alg'],
  [R.ASSERTION_BAD_TYP, 'assertion.typ'],
  [R.ASSERTION_BAD_SIGNATURE, 'assertion.signature'],
  [R.ASSERTION_BAD_ISS, 'assertion.iss'],
  [R.ASSERTION_BAD_AUD, 'assertion.aud'],
  [R.ASSERTION_BAD_EXP, 'assertion.exp'],
  [R.MESSAGING_BAD_CONTENT_TYPE, 'messaging.content-type'],
  [INVALID_TOKEN, 'messaging.invalid-token'],
  [R.RATE_LIMITED, 'rate-limit'],
  [R.NOT_FOUND, 'http.not-found'],
  [R.INTERNAL_ERROR, 'internal-error'],
]);

/** The rule id of a refusal; answers built on the spot are named by their status. */
export function ruleId(answer: R.Answer): string {
  const known = RULE_IDS.get(answer);
  if (known !== undefined) return known;
  if (answer.status === 405) return 'http.method';
  if (answer.status === 400) return 'messaging.body';
  return `http.${answer.status}`;
}

/** LINE's error text of a refusal body: `error: error_description`, or `message`. */
export function errorText(body: object | undefined): string | undefined {
  if (body === undefined) return undefined;
  const b = body as {
    error?: unknown;
    error_description?: unknown;
    message?: unknown;
    details?: Array<{ message?: unknown; property?: unknown }>;
  };
  if (typeof b.error === 'string') {
    return typeof b.error_description === 'string' ? `${b.error}: ${b.error_description}` : b.error;
  }
  if (typeof b.message !== 'string') return undefined;
  // The Messaging API's validation answers say what is wrong in their first detail.
  const detail = Array.isArray(b.details) ? b.details[0] : undefined;
  return detail && typeof detail.property === 'string' && typeof detail.message === 'string'
    ? `${b.message} (${detail.property} ${detail.message})`
    : b.message;
}
