/**
 * A Messaging API stand-in on the emulator's own server: a test double for token handling,
 * not a LINE clone. Four routes check `Authorization: Bearer` against the emulator's own
 * tokens of every family and answer a live one the way LINE shapes its answers, a missing,
 * unknown, expired or revoked one with LINE's 401; message bodies are checked only as far
 * as LINE documents (a `to` or `replyToken`, 1 to 5 message objects), and what a bot sent
 * is kept per channel so a test can assert it.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { freshBytes } from './internal/random.js';
import { isLive, type EmulatorState } from './state.js';
import * as R from './internal/responses.js';
import type {
  EmulatorMessage,
  MessagingEndpoint,
  MessagingOutcome,
  MessagingTokenFamily,
} from './types.js';

/** A Messaging API route of the stand-in. */
export interface MessagingRoute {
  readonly endpoint: MessagingEndpoint;
  readonly method: 'GET' | 'POST';
}

/** The stand-in's routes, by path. */
export const MESSAGING_ROUTES: ReadonlyMap<string, MessagingRoute> = new Map([
  ['/v2/bot/info', { endpoint: 'botInfo', method: 'GET' }],
  ['/v2/bot/message/push', { endpoint: 'push', method: 'POST' }],
  ['/v2/bot/message/reply', { endpoint: 'reply', method: 'POST' }],
  ['/v2/bot/message/broadcast', { endpoint: 'broadcast', method: 'POST' }],
]);

/** LINE's answer to a request without a valid channel access token. [SDK fixtures] */
export const INVALID_TOKEN: R.Answer = {
  status: 401,
  body: {
    message:
      'Authentication failed due to the following reason: invalid token. Confirm that the access token in the authorization header is valid.',
  },
};
/** LINE sends at most five messages per request. [doc] */
export const MAX_MESSAGES_PER_REQUEST = 5;
// Older messages of a channel are forgotten past this many: a double, not an archive.
const MESSAGES_KEPT = 1_000;

const BEARER = /^Bearer +([^\s]+) *$/i;
const JSON_TYPE = /^application\/json\s*(;|$)/i;

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

// LINE's validation answer shape: a summary and one detail per property. [doc: the shape]
const invalid = (property: string, message: string): R.Answer => ({
  status: 400,
  body: { message: 'The request body has 1 error(s)', details: [{ message, property }] },
});

/** Checks a message request body as far as LINE documents; an answer when it is refused. */
function validate(endpoint: MessagingEndpoint, body: unknown): R.Answer | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 400, body: { message: 'The request body could not be parsed as JSON' } };
  }
  const b = body as Record<string, unknown>;
  if (endpoint === 'push' && (typeof b['to'] !== 'string' || b['to'] === '')) {
    return invalid('to', 'must be specified');
  }
  if (endpoint === 'reply' && (typeof b['replyToken'] !== 'string' || b['replyToken'] === '')) {
    return invalid('replyToken', 'must be specified');
  }
  const messages = b['messages'];
  if (!Array.isArray(messages)) return invalid('messages', 'must be specified');
  if (messages.length < 1 || messages.length > MAX_MESSAGES_PER_REQUEST) {
    return invalid('messages', `size must be between 1 and ${MAX_MESSAGES_PER_REQUEST}`);
  }
  const bad = messages.findIndex((m) => typeof m !== 'object' || m === null || Array.isArray(m));
  if (bad >= 0) return invalid(`messages[${bad}]`, 'must be a message object');
  return undefined;
}

/** The messages each channel received, oldest first, and the id counter of sent messages. */
export class MessageLog {
  #byChannel = new Map<string, EmulatorMessage[]>();
  #nextId = 100_000_000_000_000_000n;

  list(channelId: string): EmulatorMessage[] {
    return (this.#byChannel.get(channelId) ?? []).map((m) => structuredClone(m));
  }

  add(channelId: string, message: EmulatorMessage): void {
    let list = this.#byChannel.get(channelId);
    if (!list) this.#byChannel.set(channelId, (list = []));
    list.push(message);
    if (list.length > MESSAGES_KEPT) list.splice(0, list.length - MESSAGES_KEPT);
  }

  /** A message id in LINE's shape: a decimal string. */
  messageId(): string {
    return String(this.#nextId++);
  }

  clear(): void {
    this.#byChannel.clear();
  }
}

/** What the stand-in needs from the running emulator. */
export interface MessagingContext {
  readonly state: EmulatorState;
  readonly messages: MessageLog;
  readonly admit: (channelId: string, endpoint: string) => boolean;
  countMessaging(family: MessagingTokenFamily, outcome: MessagingOutcome): void;
}

/** The request as the server read it. */
export interface MessagingRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  retryKey: string | undefined;
  body: Buffer | undefined;
}

/** A stable bot user id for a channel, in LINE's shape (`U` and 32 hex digits). */
function botUserId(channelId: string): string {
  return `U${createHash('sha256').update(`bot:${channelId}`).digest('hex').slice(0, 32)}`;
}

/** Answers one Messaging API request (the method was checked by the caller). */
export function handleMessaging(
  ctx: MessagingContext,
  route: MessagingRoute,
  req: MessagingRequest,
): R.Answer {
  const auth = checkBearer(ctx.state, req.authorization);
  if (!auth.ok) {
    ctx.countMessaging(auth.family, 'unauthorized');
    return INVALID_TOKEN;
  }
  const outcome = (o: MessagingOutcome, answer: R.Answer): R.Answer => {
    ctx.countMessaging(auth.family, o);
    return answer;
  };
  if (!ctx.admit(auth.channelId, route.endpoint)) return outcome('rate-limited', R.RATE_LIMITED);
  if (route.endpoint === 'botInfo') {
    const userId = botUserId(auth.channelId);
    return outcome(
      'ok',
      R.ok({
        userId,
        basicId: `@${userId.slice(1, 9)}`,
        displayName: `Emulator bot ${auth.channelId}`,
        chatMode: 'bot',
        markAsReadMode: 'auto',
      }),
    );
  }
  if (req.contentType === undefined || !JSON_TYPE.test(req.contentType)) {
    return outcome('bad-request', R.MESSAGING_BAD_CONTENT_TYPE);
  }
  let body: unknown;
  try {
    body = JSON.parse((req.body ?? Buffer.alloc(0)).toString('utf8'));
  } catch {
    body = undefined;
  }
  const refusal = validate(route.endpoint, body);
  if (refusal) return outcome('bad-request', refusal);
  const b = body as Record<string, unknown>;
  const messages = b['messages'] as object[];
  ctx.messages.add(auth.channelId, {
    endpoint: route.endpoint,
    tokenFamily: auth.family,
    ...(typeof b['to'] === 'string' && { to: b['to'] }),
    ...(typeof b['replyToken'] === 'string' && { replyToken: b['replyToken'] }),
    ...(req.retryKey !== undefined && { retryKey: req.retryKey }),
    messages: structuredClone(messages),
    receivedAt: ctx.state.now(),
  });
  if (route.endpoint === 'broadcast') return outcome('ok', R.ok({}));
  return outcome(
    'ok',
    R.ok({
      sentMessages: messages.map(() => ({
        id: ctx.messages.messageId(),
        quoteToken: freshBytes(48).toString('base64url'),
      })),
    }),
  );
}
