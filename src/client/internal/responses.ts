/**
 * Turns LINE's HTTP answers into typed results or errors. Every field is checked: a 200
 * whose body is not the documented shape is a {@link LineInvalidResponseError}, never a
 * token with `undefined` in it.
 *
 * @module
 */
import { LineApiError, LineInvalidResponseError } from '../../errors.js';
import { MAX_ISSUED_EXPIRES_IN_SEC as MAX_EXPIRES_IN_SEC } from '../../line/facts.js';
import type { IssuedToken, IssuedTokenV21, OperationName, TokenVerification } from '../types.js';
import { redactText } from '../../internal/redact.js';
import { parseRetryAfter } from '../../internal/retry-after.js';
import type { HeaderReader } from '../wire.js';

/** One HTTP answer, body read, with the moment its request was sent. */
export interface RawResponse {
  readonly operation: OperationName;
  readonly status: number;
  readonly headers: HeaderReader;
  readonly body: string;
  /** Epoch ms, taken just before the request was handed to the wire. */
  readonly sentAt: number;
}

function requestId(res: RawResponse): string | undefined {
  return res.headers.get('x-line-request-id') ?? undefined;
}

function invalid(res: RawResponse, reason: string): LineInvalidResponseError {
  return new LineInvalidResponseError({
    operation: res.operation,
    status: res.status,
    reason,
    requestId: requestId(res),
  });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

function optionalString(value: unknown, forms: readonly string[]): string | undefined {
  return typeof value === 'string' ? redactText(value, forms) : undefined;
}

/**
 * The {@link LineApiError} for a non-2xx answer. Both of LINE's error shapes are read
 * (`{error, error_description}` and `{message}`). Any body that is not JSON — a proxy's
 * HTML 502 page, an empty 503 — still gives a LineApiError with the status, because the
 * status is what callers decide on (retry a 502, fix a 400); only 2xx answers of the
 * wrong shape are {@link LineInvalidResponseError}s.
 */
export function apiError(
  res: RawResponse,
  nowMs: number,
  secretForms: readonly string[],
): LineApiError {
  const json = parseJson(res.body);
  const fields = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), nowMs);
  return new LineApiError({
    operation: res.operation,
    status: res.status,
    error: optionalString(fields['error'], secretForms),
    errorDescription: optionalString(fields['error_description'], secretForms),
    lineMessage: optionalString(fields['message'], secretForms),
    requestId: requestId(res),
    retryAfterSec: retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
  });
}

function jsonObject(res: RawResponse): Record<string, unknown> {
  const json = parseJson(res.body);
  if (json === undefined) {
    const type = res.headers.get('content-type') ?? 'no content type';
    // The content type is safe to quote and tells a proxy page from a truncated body.
    throw invalid(res, `the body is not JSON (${type.split(';')[0]?.trim()})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid(res, 'the body is not a JSON object');
  }
  return json as Record<string, unknown>;
}

function nonEmptyString(res: RawResponse, body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw invalid(res, `"${field}" is missing or not a non-empty string`);
  }
  return value;
}

// `expires_in` is an integer in the spec; a string "900" or 899.5 means something in
// between rewrote the body, and a token with a guessed expiry is worse than an error.
function seconds(res: RawResponse, body: Record<string, unknown>, field: string): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(res, `"${field}" is missing or not a non-negative integer`);
  }
  return value;
}

function tokenType(res: RawResponse, body: Record<string, unknown>): string {
  const value = body['token_type'];
  // LINE always sends "Bearer"; the spec marks it required but gives it a default.
  if (value === undefined) return 'Bearer';
  if (typeof value !== 'string' || value === '') {
    throw invalid(res, '"token_type" is not a non-empty string');
  }
  return value;
}

// A verified token's remaining lifetime: long-lived tokens live long, but not past year
// 2200 or so; beyond this a Date would be out of range somewhere downstream.
const MAX_VERIFY_EXPIRES_IN_SEC = 5_000_000_000;

function issuedFrom(res: RawResponse, body: Record<string, unknown>): IssuedToken {
  const accessToken = nonEmptyString(res, body, 'access_token');
  const expiresIn = seconds(res, body, 'expires_in');
  // Longer (or 0) is not a token LINE issued as documented: an invalid response, never a
  // date out of range or a token that is due the moment it arrives.
  const max = MAX_EXPIRES_IN_SEC[res.operation] ?? MAX_EXPIRES_IN_SEC['issueV21']!;
  if (expiresIn === 0 || expiresIn > max) {
    throw invalid(
      res,
      `"expires_in" is ${expiresIn}: an issued token must live from 1 to ${max} seconds`,
    );
  }
  return {
    accessToken,
    tokenType: tokenType(res, body),
    expiresIn,
    expiresAt: res.sentAt + expiresIn * 1000,
  };
}

/** The result of a short-lived or stateless issue. */
export function issuedToken(res: RawResponse): IssuedToken {
  return issuedFrom(res, jsonObject(res));
}

/** The result of a v2.1 issue, which must also carry `key_id`. */
export function issuedTokenV21(res: RawResponse): IssuedTokenV21 {
  const body = jsonObject(res);
  const token = issuedFrom(res, body);
  return { ...token, keyId: nonEmptyString(res, body, 'key_id') };
}

/** The result of either verify operation. */
export function verification(res: RawResponse): TokenVerification {
  const body = jsonObject(res);
  const clientId = nonEmptyString(res, body, 'client_id');
  const expiresIn = seconds(res, body, 'expires_in');
  if (expiresIn > MAX_VERIFY_EXPIRES_IN_SEC) {
    throw invalid(res, `"expires_in" is ${expiresIn}, beyond any token's lifetime`);
  }
  const scope = body['scope'];
  if (scope !== undefined && typeof scope !== 'string') {
    throw invalid(res, '"scope" is not a string');
  }
  const result: TokenVerification = {
    clientId,
    expiresIn,
    expiresAt: res.sentAt + expiresIn * 1000,
  };
  if (scope !== undefined) result.scope = scope;
  return result;
}

/** The result of the key-id listing. */
export function keyIds(res: RawResponse): string[] {
  const kids = jsonObject(res)['kids'];
  if (!Array.isArray(kids) || !kids.every((kid) => typeof kid === 'string')) {
    throw invalid(res, '"kids" is missing or not an array of strings');
  }
  return [...kids];
}
