/**
 * The emulator's Messaging API: a local LINE for a bot's tests. Every route checks
 * `Authorization: Bearer` against the emulator's own tokens of every family (LINE's 401
 * otherwise); the send routes (messaging-send.ts) validate bodies as LINE does and honour
 * retry keys and reply tokens; the read routes answer from the virtual friends. Routes
 * under `/v2/bot/` that are not emulated answer a distinct 501, never LINE's 404 (which
 * means "no such user" there). What a bot sent is kept per channel so a test can assert it.
 *
 * @module
 */
import type { EmulatorState } from './state.js';
import { isLive } from './state.js';
import * as R from './internal/responses.js';
import { botUserId, USER_NOT_FOUND } from './friends.js';
import type { MessagingContext, MessagingRequest } from './messaging-context.js';
import { handleSend, type Outcome } from './messaging-send.js';
import type { MessagingEndpoint, MessagingTokenFamily } from './types.js';

export { MAX_MESSAGES_PER_REQUEST } from './internal/message-validation.js';

/** A Messaging API route of the emulator. */
export interface MessagingRoute {
  readonly endpoint: MessagingEndpoint;
  readonly method: 'GET' | 'POST';
  /** The path pattern, for logs (a user ID in the path is shown as `{userId}`). */
  readonly label: string;
  /** The path's parameter (the user ID of a profile request). */
  readonly param?: string;
}

const route = (endpoint: MessagingEndpoint, method: 'GET' | 'POST', label: string) => ({
  endpoint,
  method,
  label,
});

/** The emulator's Messaging API routes, by path. */
export const MESSAGING_ROUTES: ReadonlyMap<string, MessagingRoute> = new Map(
  (
    [
      ['botInfo', 'GET', '/v2/bot/info'],
      ['push', 'POST', '/v2/bot/message/push'],
      ['reply', 'POST', '/v2/bot/message/reply'],
      ['broadcast', 'POST', '/v2/bot/message/broadcast'],
      ['multicast', 'POST', '/v2/bot/message/multicast'],
      ['followers', 'GET', '/v2/bot/followers/ids'],
      ['quota', 'GET', '/v2/bot/message/quota'],
      ['quotaConsumption', 'GET', '/v2/bot/message/quota/consumption'],
    ] as const
  ).map(([endpoint, method, path]) => [path, route(endpoint, method, path)]),
);

const PROFILE_PREFIX = '/v2/bot/profile/';

/**
 * The route of a path: an emulated one, `'not-emulated'` for any other `/v2/bot/` path,
 * or undefined (not the Messaging API).
 */
export function messagingRoute(path: string): MessagingRoute | 'not-emulated' | undefined {
  const exact = MESSAGING_ROUTES.get(path);
  if (exact) return exact;
  if (path.startsWith(PROFILE_PREFIX) && !path.slice(PROFILE_PREFIX.length).includes('/')) {
    return {
      ...route('profile', 'GET', `${PROFILE_PREFIX}{userId}`),
      param: path.slice(PROFILE_PREFIX.length),
    };
  }
  return path.startsWith('/v2/bot/') ? 'not-emulated' : undefined;
}

/** The answer of a Messaging API route the emulator does not emulate. [ours] */
export const NOT_EMULATED: R.Answer = {
  status: 501,
  body: {
    message:
      'Not implemented: the line-token emulator does not emulate this Messaging API endpoint',
  },
};

/** LINE's answer to a request without a valid channel access token. [SDK fixtures] */
export const INVALID_TOKEN: R.Answer = {
  status: 401,
  body: {
    message:
      'Authentication failed due to the following reason: invalid token. Confirm that the access token in the authorization header is valid.',
  },
};
/** The most bytes a Messaging API request body may have; more is answered 413. [doc: 2 MB] */
export const MAX_MESSAGING_BODY_BYTES = 2 * 1024 * 1024;
/** The answer to a body past {@link MAX_MESSAGING_BODY_BYTES}. [doc: the status; text ours] */
export const MESSAGING_BODY_TOO_LARGE: R.Answer = {
  status: 413,
  body: { message: 'Request entity too large: the request body must be at most 2 MB' },
};
// The most user IDs a followers page holds. [doc]
const MAX_FOLLOWERS_PAGE = 1_000;

const BEARER = /^Bearer +([^\s]+) *$/i;

/** Whose token a request carried: a family and channel, or why there is none. */
export type BearerCheck =
  | { ok: true; family: Exclude<MessagingTokenFamily, 'none' | 'unknown'>; channelId: string }
  | { ok: false; family: MessagingTokenFamily };

/** Resolves a bearer header against the emulator's tokens at the emulator's time. */
export function checkBearer(state: EmulatorState, header: string | undefined): BearerCheck {
  const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
  if (token === undefined) return { ok: false, family: 'none' };
  const now = state.now();
  const record = state.tokens.get(token);
  if (record) {
    return isLive(record, now)
      ? { ok: true, family: record.family, channelId: record.channelId }
      : { ok: false, family: record.family };
  }
  const stateless = state.mint.readStateless(token);
  if (!stateless) return { ok: false, family: 'unknown' };
  if (now >= stateless.expiresAtSec * 1000 || !state.channels.has(stateless.channelId)) {
    return { ok: false, family: 'stateless' };
  }
  return { ok: true, family: 'stateless', channelId: stateless.channelId };
}

/** Answers a read route for a live token's channel. */
function handleRead(
  ctx: MessagingContext,
  r: MessagingRoute,
  channelId: string,
  query: string,
): Outcome {
  switch (r.endpoint) {
    case 'botInfo': {
      const userId = botUserId(channelId);
      return [
        'ok',
        R.ok({
          userId,
          basicId: `@${userId.slice(1, 9)}`,
          displayName: `Emulator bot ${channelId}`,
          chatMode: 'bot',
          markAsReadMode: 'auto',
        }),
      ];
    }
    case 'profile': {
      const friend = ctx.friends.get(channelId, r.param ?? '');
      // LINE answers 404 for a user who is not a friend or blocked the bot. [doc]
      if (friend === undefined || friend.blocked) return ['not-found', USER_NOT_FOUND];
      return [
        'ok',
        R.ok({ userId: friend.userId, displayName: friend.displayName, language: 'en' }),
      ];
    }
    case 'followers': {
      const params = new URLSearchParams(query);
      const limit = Math.min(Number(params.get('limit') ?? 300) || 300, MAX_FOLLOWERS_PAGE);
      const start = Number(params.get('start') ?? 0) || 0;
      const all = ctx.friends.followers(channelId);
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? { next: String(start + limit) } : {};
      return ['ok', R.ok({ userIds: page, ...next })];
    }
    case 'quota':
      return ['ok', R.ok(ctx.friends.quota(channelId))];
    default:
      return ['ok', R.ok(ctx.friends.consumption(channelId, ctx.state.now()))];
  }
}

/** Answers one Messaging API request (the method was checked by the caller). */
export function handleMessaging(
  ctx: MessagingContext,
  r: MessagingRoute,
  req: MessagingRequest,
): R.Answer {
  const auth = checkBearer(ctx.state, req.authorization);
  if (!auth.ok) {
    ctx.countMessaging(auth.family, 'unauthorized');
    return INVALID_TOKEN;
  }
  let outcome: Outcome;
  if (!ctx.admit(auth.channelId, r.endpoint)) outcome = ['rate-limited', R.RATE_LIMITED];
  else if (r.method === 'GET') outcome = handleRead(ctx, r, auth.channelId, req.query);
  else {
    outcome = handleSend(
      ctx,
      r.endpoint as 'push' | 'reply' | 'broadcast' | 'multicast',
      { channelId: auth.channelId, family: auth.family },
      req,
    );
  }
  ctx.countMessaging(auth.family, outcome[0]);
  return outcome[1];
}
