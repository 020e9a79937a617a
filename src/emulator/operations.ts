/**
 * The eight operations of the Channel Access Token API, answering as
 * docs/line-rules.md ("Answers, operation by operation") says.
 *
 * @module
 */
import type { OperationName } from '../client/types.js';
import { isRefusal, tokenExpSec, verifyAssertion, type VerifiedAssertion } from './assertion.js';
import { secretMatches } from './internal/random.js';
import type { RateClass } from './rate-limit.js';
import * as R from './internal/responses.js';
import {
  LONG_LIVED_NOMINAL_SEC,
  SHORT_LIVED_EXPIRES_IN_SEC,
  isLive,
  type Channel,
  type EmulatorState,
  type TokenRecord,
} from './state.js';
import { jwsHeaderDecodes, looksLikeJws } from './internal/tokens.js';
import { ASSERTION_TYPE, GRANT_TYPE, STATELESS_EXPIRES_IN_SEC } from '../line/facts.js';

export { ASSERTION_TYPE, STATELESS_EXPIRES_IN_SEC } from '../line/facts.js';

/** `scope` of a short- or long-lived token in a v2 verify answer (LINE's example). [doc] */
export const SCOPE_V2 = 'P CM';
/** `scope` of a v2.1 token in a v2.1 verify answer (LINE's example). [doc] */
export const SCOPE_V21 = 'profile chat_message.write';
// Every token is base64 (short- and long-lived) or base64url segments (v2.1, stateless):
// anything else cannot be one, a space included, which is what an unencoded `+` turns
// into. [doc: "invalid format"]
const TOKEN_SHAPE = /^[A-Za-z0-9+/=._-]{1,2048}$/;

/** Decoded request parameters (form body or query); empty strings already removed. */
export type Params = ReadonlyMap<string, string>;

/** What an operation needs from the running emulator. */
export interface OperationContext {
  readonly state: EmulatorState;
  /** Takes one request from the channel's bucket for an endpoint; false when over the limit. */
  readonly admit: (channelId: string, endpoint: RateClass) => boolean;
}

/** An operation: its HTTP method and path, and how it answers. */
export interface Operation {
  readonly name: OperationName;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly handle: (ctx: OperationContext, params: Params) => R.Answer;
}

const secondsLeft = (expiresAtMs: number, nowMs: number) =>
  Math.max(0, Math.floor((expiresAtMs - nowMs) / 1000));

/** Verifies an assertion and admits it against the owning channel's bucket for `endpoint`. */
function checkAssertion(
  ctx: OperationContext,
  assertion: string,
  endpoint: OperationName,
): { verified: VerifiedAssertion; channel: Channel } | R.Answer {
  const verified = verifyAssertion(ctx.state, assertion, ctx.state.now());
  if (isRefusal(verified)) return verified;
  const channel = ctx.state.channels.get(verified.channelId);
  if (!channel) return R.ASSERTION_UNKNOWN_KID;
  if (!ctx.admit(channel.id, endpoint)) return R.RATE_LIMITED;
  return { verified, channel };
}

const hasAssertionParams = (p: Params) =>
  p.get('client_assertion_type') === ASSERTION_TYPE && p.has('client_assertion');

const issueShortLived: Operation['handle'] = (ctx, p) => {
  const id = p.get('client_id');
  const secret = p.get('client_secret');
  if (p.get('grant_type') !== GRANT_TYPE || id === undefined || secret === undefined) {
    return R.BAD_PARAMS;
  }
  const channel = ctx.state.channels.get(id);
  if (!channel) return R.UNKNOWN_CLIENT_ID;
  if (!ctx.admit(channel.id, 'issueShortLived')) return R.RATE_LIMITED;
  if (!secretMatches(secret, channel.secretDigest)) return R.WRONG_CLIENT_SECRET;
  const record = ctx.state.issueShortLived(channel);
  return R.okTemplate(
    { access_token: record.token, expires_in: SHORT_LIVED_EXPIRES_IN_SEC, token_type: 'Bearer' },
    `{"access_token":"${record.token}","expires_in":${SHORT_LIVED_EXPIRES_IN_SEC},"token_type":"Bearer"}`,
  );
};

const verify: Operation['handle'] = (ctx, p) => {
  const token = p.get('access_token');
  if (token === undefined) return R.BAD_PARAMS;
  if (!TOKEN_SHAPE.test(token)) return R.V2_TOKEN_BAD_FORMAT;
  const now = ctx.state.now();
  const record = ctx.state.tokens.get(token);
  if (record) {
    if (record.family === 'v2.1') return R.V2_TOKEN_INVALID;
    if (!ctx.admit(record.channelId, 'verify')) return R.RATE_LIMITED;
    if (!isLive(record, now)) return R.V2_TOKEN_INVALID;
    const expiresIn =
      record.expiresAt === null
        ? LONG_LIVED_NOMINAL_SEC - secondsLeft(now, record.issuedAt)
        : secondsLeft(record.expiresAt, now);
    return R.ok({ client_id: record.channelId, expires_in: expiresIn, scope: SCOPE_V2 });
  }
  // Stateless tokens are not stored: their sealed payload says whose they are. [inf]
  const stateless = ctx.state.mint.readStateless(token);
  if (!stateless || !ctx.state.channels.has(stateless.channelId)) return R.V2_TOKEN_INVALID;
  if (!ctx.admit(stateless.channelId, 'verify')) return R.RATE_LIMITED;
  const expiresAtMs = stateless.expiresAtSec * 1000;
  if (now >= expiresAtMs) return R.V2_TOKEN_INVALID;
  // LINE: `scope` is "not always included". A stateless token's answer leaves it out, so
  // code that requires it fails here rather than in production. [doc; which case inf]
  return R.ok({ client_id: stateless.channelId, expires_in: secondsLeft(expiresAtMs, now) });
};

const revoke: Operation['handle'] = (ctx, p) => {
  const token = p.get('access_token');
  // Missing, or in a format no token has (an unencoded `+` arrives as a space): LINE answers
  // 400 and the token stays live, so a client that forgets to encode must see it. [doc]
  if (token === undefined || !TOKEN_SHAPE.test(token)) return R.V2_REVOKE_MISSING;
  const record = ctx.state.tokens.get(token);
  // Unknown (well-formed), v2.1 and stateless tokens: 200 and nothing happens. [doc]
  if (record && record.family !== 'v2.1') {
    if (!ctx.admit(record.channelId, 'revoke')) return R.RATE_LIMITED;
    ctx.state.revoke(record);
  }
  return R.EMPTY_OK;
};

const issueV21: Operation['handle'] = (ctx, p) => {
  const assertion = p.get('client_assertion');
  if (p.get('grant_type') !== GRANT_TYPE || !hasAssertionParams(p) || !assertion) {
    return R.BAD_PARAMS;
  }
  const checked = checkAssertion(ctx, assertion, 'issueV21');
  if ('status' in checked) return checked;
  const tokenExp = tokenExpSec(checked.verified.claims);
  if (tokenExp === undefined) return R.BAD_TOKEN_EXP;
  const record = ctx.state.issueV21(checked.channel, tokenExp);
  if (record === 'limit') return R.V21_LIMIT;
  return R.okTemplate(
    {
      access_token: record.token,
      token_type: 'Bearer',
      expires_in: tokenExp,
      key_id: record.keyId,
    },
    `{"access_token":"${record.token}","token_type":"Bearer","expires_in":${tokenExp},"key_id":"${record.keyId}"}`,
  );
};

const verifyV21: Operation['handle'] = (ctx, p) => {
  const token = p.get('access_token');
  if (token === undefined) return R.BAD_PARAMS;
  const record: TokenRecord | undefined = ctx.state.tokens.get(token);
  if (!record || record.family !== 'v2.1') {
    return looksLikeJws(token) ? R.V21_UNKNOWN : R.V21_NOT_JWS;
  }
  if (!ctx.admit(record.channelId, 'verifyV21')) return R.RATE_LIMITED;
  if (record.revokedAt !== undefined) return R.V21_REVOKED;
  const now = ctx.state.now();
  if (record.expiresAt !== null && now >= record.expiresAt) return R.V21_EXPIRED;
  return R.ok({
    client_id: record.channelId,
    expires_in: record.expiresAt === null ? 0 : secondsLeft(record.expiresAt, now),
    scope: SCOPE_V21,
  });
};

const revokeV21: Operation['handle'] = (ctx, p) => {
  const id = p.get('client_id');
  const secret = p.get('client_secret');
  const token = p.get('access_token');
  if (id === undefined || secret === undefined || token === undefined) return R.BAD_PARAMS;
  if (!looksLikeJws(token)) return R.V21_NOT_JWS;
  if (!jwsHeaderDecodes(token)) return R.V21_MALFORMED;
  const channel = ctx.state.channels.get(id);
  if (!channel) return R.UNKNOWN_CLIENT_ID;
  if (!ctx.admit(channel.id, 'revokeV21')) return R.RATE_LIMITED;
  if (!secretMatches(secret, channel.secretDigest)) return R.WRONG_CLIENT_SECRET;
  const record = ctx.state.tokens.get(token);
  // Unknown, expired, already revoked or another channel's token: 200, nothing happens. [doc]
  if (record && record.family === 'v2.1' && record.channelId === channel.id) {
    ctx.state.revoke(record);
  }
  return R.EMPTY_OK;
};

const getValidKeyIds: Operation['handle'] = (ctx, p) => {
  const assertion = p.get('client_assertion');
  if (!hasAssertionParams(p) || !assertion) return R.BAD_PARAMS;
  const checked = checkAssertion(ctx, assertion, 'getValidKeyIds');
  if ('status' in checked) return checked;
  return R.ok({ kids: ctx.state.v21KeyIds(checked.channel) });
};

const issueStateless: Operation['handle'] = (ctx, p) => {
  if (p.get('grant_type') !== GRANT_TYPE) return R.BAD_PARAMS;
  let channel: Channel;
  const assertion = p.get('client_assertion');
  if (assertion !== undefined || p.has('client_assertion_type')) {
    if (!hasAssertionParams(p) || assertion === undefined) return R.BAD_PARAMS;
    const checked = checkAssertion(ctx, assertion, 'issueStateless');
    if ('status' in checked) return checked;
    channel = checked.channel;
  } else {
    const id = p.get('client_id');
    const secret = p.get('client_secret');
    if (id === undefined || secret === undefined) return R.BAD_PARAMS;
    const found = ctx.state.channels.get(id);
    if (!found || !secretMatches(secret, found.secretDigest)) return R.STATELESS_BAD_CREDENTIALS;
    if (!ctx.admit(found.id, 'issueStateless')) return R.RATE_LIMITED;
    channel = found;
  }
  const expiresAtSec = Math.floor(ctx.state.now() / 1000) + STATELESS_EXPIRES_IN_SEC;
  const token = ctx.state.mint.stateless(channel.id, expiresAtSec);
  return R.okTemplate(
    { token_type: 'Bearer', access_token: token, expires_in: STATELESS_EXPIRES_IN_SEC },
    `{"token_type":"Bearer","access_token":"${token}","expires_in":${STATELESS_EXPIRES_IN_SEC}}`,
  );
};

/**
 * The eight operations, by path.
 *
 * Written out here on purpose rather than read from the client's request code: the
 * emulator is the test oracle for the client, and an emulator that took its paths and
 * methods from the client could never catch the client sending a wrong one. Each follows
 * LINE's reference (docs/line-rules.md) on its own, and the client's tests run against this
 * emulator, so where the two disagree a test fails. The LINE constants (audience,
 * assertion type, lifetimes, limits) are shared from `src/line/facts.ts`: those are values,
 * not request shapes, and a typo in one would show in the tests of both parts anyway.
 */
export const OPERATIONS: ReadonlyMap<string, Operation> = new Map(
  (
    [
      {
        name: 'issueShortLived',
        method: 'POST',
        path: '/v2/oauth/accessToken',
        handle: issueShortLived,
      },
      { name: 'verify', method: 'POST', path: '/v2/oauth/verify', handle: verify },
      { name: 'revoke', method: 'POST', path: '/v2/oauth/revoke', handle: revoke },
      { name: 'issueV21', method: 'POST', path: '/oauth2/v2.1/token', handle: issueV21 },
      { name: 'verifyV21', method: 'GET', path: '/oauth2/v2.1/verify', handle: verifyV21 },
      { name: 'revokeV21', method: 'POST', path: '/oauth2/v2.1/revoke', handle: revokeV21 },
      {
        name: 'getValidKeyIds',
        method: 'GET',
        path: '/oauth2/v2.1/tokens/kid',
        handle: getValidKeyIds,
      },
      { name: 'issueStateless', method: 'POST', path: '/oauth2/v3/token', handle: issueStateless },
    ] satisfies Operation[]
  ).map((op) => [op.path, op]),
);
