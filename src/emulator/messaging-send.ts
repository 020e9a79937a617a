/**
 * The send endpoints of the emulator's Messaging API (push, reply, multicast, broadcast),
 * checked in LINE's order: content type, JSON, LINE's validation, the retry key, the reply
 * token, the monthly quota; then recorded for the test and answered in LINE's shape.
 *
 * @module
 */
import { freshBytes } from './internal/random.js';
import { parseJsonBody, validateSend, type SendEndpoint } from './internal/message-validation.js';
import * as R from './internal/responses.js';
import { MONTHLY_LIMIT_REACHED } from './friends.js';
import { INVALID_REPLY_TOKEN } from './reply-tokens.js';
import type { MessagingContext, MessagingRequest } from './messaging-context.js';
import type { EmulatorMessage, EmulatorTokenFamily, MessagingOutcome } from './types.js';

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** The caller's channel and token family, once the bearer was accepted. */
export interface Sender {
  channelId: string;
  family: EmulatorTokenFamily | 'stateless';
}

/** An answer and how to count it. */
export type Outcome = [MessagingOutcome, R.Answer];

/** Who a send reaches: friends who have not blocked the bot. */
function reached(ctx: MessagingContext, channelId: string, to: string[]): string[] {
  // A push has one recipient: no set to build on the stand-in's hottest route.
  if (to.length === 1) return ctx.friends.reaches(channelId, to[0]!) ? [to[0]!] : [];
  return [...new Set(to)].filter((id) => ctx.friends.reaches(channelId, id));
}

/** Answers one send request. */
export function handleSend(
  ctx: MessagingContext,
  endpoint: SendEndpoint,
  sender: Sender,
  req: MessagingRequest,
): Outcome {
  if (req.contentType === undefined || !JSON_TYPE.test(req.contentType)) {
    return ['bad-request', R.MESSAGING_BAD_CONTENT_TYPE];
  }
  const parsed = parseJsonBody(req.body);
  if ('status' in parsed) return ['bad-request', parsed];
  const refusal = validateSend(endpoint, parsed.value);
  if (refusal) return ['bad-request', refusal];
  const b = parsed.value as Record<string, unknown>;
  const { channelId } = sender;
  const now = ctx.state.now();
  const retry = ctx.retryKeys.check(channelId, endpoint, req.retryKey, now);
  if (retry) return [retry.status === 409 ? 'conflict' : 'bad-request', retry];

  let to: string[];
  if (endpoint === 'reply') {
    const target = ctx.replyTokens.use(channelId, b['replyToken'] as string, now);
    if (target === undefined) return ['bad-request', INVALID_REPLY_TOKEN];
    to = [target.userId];
  } else if (endpoint === 'broadcast') to = ctx.friends.followers(channelId);
  else if (endpoint === 'multicast') to = b['to'] as string[];
  else to = [b['to'] as string];
  const deliveredTo = reached(ctx, channelId, to);
  // Replies are free; every other message counts once per recipient, against the month. [doc]
  const cost = endpoint === 'reply' ? 0 : endpoint === 'push' ? 1 : new Set(to).size;
  if (cost > 0 && !ctx.friends.consume(channelId, cost, now)) {
    return ['quota-exceeded', MONTHLY_LIMIT_REACHED];
  }

  const messages = b['messages'] as object[];
  // The parsed body belongs to this request alone: the record keeps it without a copy (the
  // admin API hands out clones of what it keeps).
  const record: EmulatorMessage = {
    endpoint,
    tokenFamily: sender.family,
    ...(b['to'] !== undefined && { to: b['to'] as string | string[] }),
    ...(endpoint === 'reply' && { replyToken: b['replyToken'] as string }),
    ...(req.retryKey !== undefined && { retryKey: req.retryKey }),
    messages,
    deliveredTo,
    requestId: req.requestId,
    receivedAt: now,
  };
  ctx.messages.add(channelId, record);
  if (endpoint === 'broadcast' || endpoint === 'multicast') {
    if (req.retryKey !== undefined)
      ctx.retryKeys.accept(channelId, req.retryKey, req.requestId, now);
    return ['ok', R.ok({})];
  }
  const sentMessages: Array<{ id: string; quoteToken: string }> = [];
  // The answer's text from a template: ids are digits, quote tokens base64url.
  let json = '{"sentMessages":[';
  for (let i = 0; i < messages.length; i++) {
    const sent = { id: ctx.messages.messageId(), quoteToken: freshBytes(48).toString('base64url') };
    sentMessages.push(sent);
    json += `${i > 0 ? ',' : ''}{"id":"${sent.id}","quoteToken":"${sent.quoteToken}"}`;
  }
  if (req.retryKey !== undefined) {
    ctx.retryKeys.accept(channelId, req.retryKey, req.requestId, now, sentMessages);
  }
  return ['ok', R.okTemplate({ sentMessages }, `${json}]}`)];
}
