/**
 * LINE's facts: the numbers and strings api.line.me's Channel Access Token API is defined
 * by, each written once. The client, assertion, manager, diagnose, CLI and emulator all
 * import them from here, so a fact LINE changes is changed in one place. Part of the
 * portable core (no `node:` import).
 *
 * Sources: https://developers.line.biz/en/reference/messaging-api/#channel-access-token
 * and https://developers.line.biz/en/docs/messaging-api/generate-json-web-token/ (the
 * project's rulebook, docs/line-rules.md, quotes both).
 *
 * @module
 */

// 30 days, in seconds: LINE's longest v2.1 `token_exp` and a short-lived token's lifetime.
const THIRTY_DAYS_SEC = 2_592_000;

/** The `aud` LINE requires, trailing slash included (without it LINE answers `invalid_client`). */
export const LINE_ASSERTION_AUDIENCE = 'https://api.line.me/';

/**
 * The shape of LINE's `x-line-request-id` response header: a UUID (8-4-4-4-12 hexadecimal
 * digits). A value of any other shape is not LINE's (a proxy or test server that echoes the
 * request could put a channel secret or token there), so it is never kept as a `requestId`.
 * A bare 32-digit hex run is refused on purpose: that is a channel secret's shape.
 */
export const LINE_REQUEST_ID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The `grant_type` of every issue operation. */
export const GRANT_TYPE = 'client_credentials';

/** The only `client_assertion_type` LINE accepts with a JWT assertion. */
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * The most an assertion's `exp` may be ahead of now, in seconds: LINE refuses an assertion
 * that expires more than 30 minutes out (`invalid_client` / `Invalid exp`). Using the full
 * 1800 leaves no room for a clock that runs ahead of LINE's, which is why the default
 * assertion lifetime is less.
 */
export const MAX_ASSERTION_LIFETIME_SEC = 1800;

/**
 * The longest v2.1 token LINE issues, in seconds (30 days). `tokenExpSec` must be an
 * integer from 1 to this.
 */
export const MAX_TOKEN_EXP_SEC = THIRTY_DAYS_SEC;

/**
 * The RSA modulus of a LINE assertion signing key, in bits. LINE documents 2048-bit keys:
 * the emulator's stand-in for the Console registers exactly this size, while key import
 * here accepts this or more (a user's larger key is refused by the Console, not by us).
 */
export const MIN_RSA_MODULUS_BITS = 2048;

/**
 * At most this many live tokens per channel, per family: LINE's limit for v2.1 tokens
 * (a further issue is refused) and for short-lived ones (a further issue evicts the oldest).
 */
export const LIVE_TOKEN_LIMIT = 30;

/** What LINE says when a v2.1 issue would exceed {@link LIVE_TOKEN_LIMIT}. */
export const TOKEN_LIMIT_MESSAGE = 'The maximum number of access tokens has already been issued';

/**
 * LINE's documented rate limits of the issue endpoints, requests per second per channel
 * and per endpoint: 370 for `POST /v2/oauth/accessToken` (short-lived), 2,000 for every
 * other endpoint. Over them LINE answers 429.
 */
export const ISSUE_RATE_PER_SEC: Readonly<
  Record<'issueShortLived' | 'issueV21' | 'issueStateless', number>
> = Object.freeze({ issueShortLived: 370, issueV21: 2_000, issueStateless: 2_000 });

/** A short-lived token lives 30 days, in seconds. */
export const SHORT_LIVED_EXPIRES_IN_SEC = THIRTY_DAYS_SEC;

/** A stateless token lives 15 minutes, in seconds. */
export const STATELESS_EXPIRES_IN_SEC = 900;

/** A superseded long-lived token can live on for at most 24 h, in seconds. */
export const MAX_LONG_LIVED_GRACE_SEC = 86_400;

/** What v2 verify answers as `expires_in` of a long-lived token (LINE's example is ~99 years). */
export const LONG_LIVED_NOMINAL_SEC = 3_153_600_000;

/**
 * The longest `expires_in` the client accepts from each issue operation, seconds: v2.1
 * 30 days, stateless 15 minutes (1 hour allowed), short-lived 30 days (31 allowed). The
 * slack over the documented lifetimes is on purpose: it tolerates LINE rounding or a
 * slightly longer lifetime, yet refuses a value no documented token has.
 */
export const MAX_ISSUED_EXPIRES_IN_SEC: Readonly<Record<string, number>> = Object.freeze({
  issueV21: MAX_TOKEN_EXP_SEC,
  issueStateless: 3_600,
  issueShortLived: THIRTY_DAYS_SEC + 86_400,
});

/**
 * LINE's facts a user of line-token may need, as one frozen object: the entry point
 * exports this instead of one constant per fact. Each is what api.line.me enforces, not a
 * default of this library.
 *
 * @example
 * ```ts
 * // Issue the longest v2.1 token LINE allows:
 * const strategy = { type: 'v2.1', channelId, kid, privateKey, tokenExpSec: LINE_FACTS.maxTokenExpSec } as const;
 * ```
 */
export const LINE_FACTS = Object.freeze({
  /** The `aud` of every assertion, trailing slash included. */
  assertionAudience: LINE_ASSERTION_AUDIENCE,
  /** The most an assertion's `exp` may be ahead of now, seconds (30 minutes). */
  maxAssertionLifetimeSec: MAX_ASSERTION_LIFETIME_SEC,
  /** The longest v2.1 token, seconds (30 days): the most `tokenExpSec` may be. */
  maxTokenExpSec: MAX_TOKEN_EXP_SEC,
  /** The RSA modulus of an assertion signing key, bits. */
  minRsaModulusBits: MIN_RSA_MODULUS_BITS,
  /** Live tokens per channel and family: v2.1 issues beyond it are refused, short-lived ones evict the oldest. */
  liveTokenLimit: LIVE_TOKEN_LIMIT,
  /** Requests per second per channel each issue endpoint takes before answering 429. */
  issueRatePerSec: ISSUE_RATE_PER_SEC,
} as const);
