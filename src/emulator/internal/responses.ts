/**
 * The answers of api.line.me, word for word where docs/line-rules.md quotes them
 * ([doc] strings must match exactly; [inf] texts are ours and documented in docs/emulator.md).
 *
 * @module
 */
import { TOKEN_LIMIT_MESSAGE } from '../../line/facts.js';

/** What a handler answers: a status and a JSON body, or no body at all (revoke's empty 200). */
export interface Answer {
  status: number;
  body: object | undefined;
  headers?: Record<string, string>;
  /**
   * The body's JSON text made ahead (a constant's, or a template's on the hot path):
   * exactly `JSON.stringify(body)`, which is then not called per request.
   */
  readonly json?: string;
}

/** An answer whose JSON text is made once, when the constant is defined. */
const rendered = (status: number, body: object): Answer => ({
  status,
  body,
  json: JSON.stringify(body),
});

const oauth = (status: number, error: string, errorDescription?: string): Answer =>
  rendered(
    status,
    errorDescription === undefined ? { error } : { error, error_description: errorDescription },
  );

const platform = (status: number, message: string): Answer => rendered(status, { message });

export const ok = (body: object): Answer => ({ status: 200, body });

/**
 * A 200 answered from a template: `json` must be exactly `JSON.stringify(body)` (same members
 * in the same order; the tests hold every template to it). For token answers on the hot
 * path, where the values need no escaping (base64, base64url, digits).
 */
export const okTemplate = (body: object, json: string): Answer => ({ status: 200, body, json });
export const EMPTY_OK: Answer = { status: 200, body: undefined };

// Parameters
export const BAD_PARAMS = oauth(400, 'invalid_request', 'some parameters missed or invalid');
export const MALFORMED_BODY = oauth(400, 'invalid_request', 'malformed request body');
export const BAD_CONTENT_TYPE = oauth(
  400,
  'invalid_request',
  'Content-Type must be application/x-www-form-urlencoded',
);
export const BODY_TOO_LARGE = oauth(400, 'invalid_request', 'request body too large');

// Channel credentials
export const UNKNOWN_CLIENT_ID = oauth(400, 'invalid_client', 'invalid client_id');
export const WRONG_CLIENT_SECRET = oauth(400, 'invalid_client', 'invalid client_secret');
export const STATELESS_BAD_CREDENTIALS = oauth(
  400,
  'invalid_request',
  "Invalid 'client_credentials'.",
);

// v2 tokens
export const V2_TOKEN_INVALID = oauth(400, 'invalid_request', 'access_token invalid');
export const V2_TOKEN_BAD_FORMAT = oauth(400, 'invalid_request', 'access_token in invalid format');
export const V2_REVOKE_MISSING = oauth(400, 'invalid_request');

// v2.1 tokens
export const V21_NOT_JWS = oauth(400, 'invalid_request', 'The access token not JWS');
export const V21_MALFORMED = oauth(400, 'invalid_request', 'The access token malformed');
export const V21_EXPIRED = oauth(400, 'invalid_request', 'The access token expired');
export const V21_REVOKED = oauth(400, 'invalid_request', 'The access token revoked');
export const V21_UNKNOWN = oauth(400, 'invalid_request', 'The access token invalid');
export const V21_LIMIT = platform(400, TOKEN_LIMIT_MESSAGE);
export const BAD_TOKEN_EXP = oauth(400, 'invalid_request', 'Invalid token_exp');

// The JWT assertion, in the order docs/line-rules.md checks it
export const ASSERTION_NOT_JWS = oauth(400, 'invalid_client', 'client_assertion is not a JWS');
export const ASSERTION_UNKNOWN_KID = platform(
  404,
  'Cannot find channel key that satisfies the conditions',
);
export const ASSERTION_BAD_ALG = oauth(400, 'invalid_client', 'Invalid alg');
export const ASSERTION_BAD_TYP = oauth(400, 'invalid_client', 'Invalid typ');
export const ASSERTION_BAD_SIGNATURE = oauth(400, 'invalid_client', 'Invalid signature');
export const ASSERTION_BAD_ISS = oauth(
  400,
  'invalid_client',
  'iss and clientId of key do not match',
);
export const ASSERTION_BAD_AUD = oauth(400, 'invalid_client', 'Invalid aud');
export const ASSERTION_BAD_EXP = oauth(400, 'invalid_client', 'Invalid exp');

// The Messaging API stand-in (its 401 is in messaging.ts)
export const MESSAGING_BAD_CONTENT_TYPE = platform(
  415,
  'The content type is not supported: send application/json',
);

// Transport
export const RATE_LIMITED = platform(429, 'The API rate limit has been exceeded. Try again later.');
export const NOT_FOUND = platform(404, 'Not found');
export const methodNotAllowed = (allow: string): Answer => ({
  status: 405,
  body: { message: 'Method not allowed' },
  headers: { allow },
});
export const INTERNAL_ERROR = platform(500, 'Internal server error');

/** An admin API error: platform style, with our own message. */
export const adminError = (status: number, message: string): Answer => platform(status, message);
