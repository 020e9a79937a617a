/**
 * Webhooks: the emulator plays a LINE user and POSTs LINE's webhook body to the bot's
 * registered URL. [doc] The body is `{destination, events}`, `destination` the bot's user
 * ID; `x-line-signature` is the base64 HMAC-SHA256 of the raw body keyed with the channel
 * secret; each event carries a `webhookEventId` (ULID), `deliveryContext.isRedelivery`,
 * `mode: "active"` and, when it can be replied to, a fresh reply token. Every delivery's
 * fate is kept so a test (or a dashboard) can list it, and a failed one can be redelivered
 * with the same event id and `isRedelivery: true` (LINE redelivers on its own when the
 * Console's redelivery is on; here a test asks for it [ours]).
 *
 * @module
 */
import { createHmac } from 'node:crypto';
import { invalidArgument } from '../internal/validate.js';
import { adminFailure } from './internal/admin-error.js';
import { freshBytes } from './internal/random.js';
import { adminBody } from './internal/admin-input.js';
import { ADMIN_MEMBERS } from './internal/admin-members.js';
import { botUserId, userIdFor, type Friends } from './friends.js';
import type { ReplyTokens } from './reply-tokens.js';
import type { EmulatorState } from './state.js';
import type { EmulatorWebhookDelivery } from './types.js';

/** How long the bot may take to answer a webhook, ms (real time). [ours] */
export const WEBHOOK_TIMEOUT_MS = 10_000;
// Older deliveries of a channel are forgotten past this many. [ours]
const DELIVERIES_KEPT = 1_000;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const EVENT_TYPES = ['message', 'follow', 'unfollow', 'postback'];

/** A ULID-shaped event id: 26 Crockford base32 characters, time first as in a ULID. */
function webhookEventId(now: number): string {
  let time = '';
  for (let t = Math.max(0, Math.floor(now)), i = 0; i < 10; i++, t = Math.floor(t / 32)) {
    time = CROCKFORD[t % 32]! + time;
  }
  const bytes = freshBytes(16);
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[bytes[i]! % 32];
  return time + rest;
}

/** The signature LINE puts in `x-line-signature`: base64 HMAC-SHA256 of the raw body. [doc] */
export function webhookSignature(channelSecret: string, body: string): string {
  if (typeof channelSecret !== 'string' || channelSecret === '') {
    invalidArgument('webhookSignature', 'channelSecret', 'a non-empty string', channelSecret);
  }
  if (typeof body !== 'string') invalidArgument('webhookSignature', 'body', 'a string', body);
  return createHmac('sha256', channelSecret).update(body, 'utf8').digest('base64');
}

/** Checks a webhook URL given through the admin API: http(s) or null (none). */
function checkUrl(url: unknown): string | null {
  if (url === null) return null;
  let parsed: URL | undefined;
  try {
    parsed = typeof url === 'string' ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw adminFailure(400, 'url', '"url" must be an http: or https: URL, or null');
  }
  return parsed.href;
}

/** Webhook URLs and deliveries of every channel. */
export class Webhooks {
  readonly #urls = new Map<string, string>();
  readonly #deliveries = new Map<string, EmulatorWebhookDelivery[]>();
  #nextDelivery = 1;
  #nextMessageId = 500_000_000_000_000_000n;

  readonly #state: EmulatorState;
  readonly #friends: Friends;
  readonly #replyTokens: ReplyTokens;

  constructor(state: EmulatorState, friends: Friends, replyTokens: ReplyTokens) {
    this.#state = state;
    this.#friends = friends;
    this.#replyTokens = replyTokens;
  }

  setUrl(channelId: string, url: unknown): { url: string | null } {
    this.#state.requireChannel(channelId);
    const checked = checkUrl(url);
    if (checked === null) this.#urls.delete(channelId);
    else this.#urls.set(channelId, checked);
    return { url: checked };
  }

  getUrl(channelId: string): { url: string | null } {
    this.#state.requireChannel(channelId);
    return { url: this.#urls.get(channelId) ?? null };
  }

  list(channelId: string): EmulatorWebhookDelivery[] {
    this.#state.requireChannel(channelId);
    return (this.#deliveries.get(channelId) ?? []).map((d) => structuredClone(d));
  }

  /** Builds one event as a user's action, updates the friends, and delivers it. */
  async send(channelId: string, input: unknown): Promise<EmulatorWebhookDelivery> {
    this.#state.requireChannel(channelId);
    const i = adminBody(input, ADMIN_MEMBERS.sendEvent, 'sendEvent');
    const type = i['type'];
    if (typeof type !== 'string' || !EVENT_TYPES.includes(type)) {
      throw adminFailure(400, 'type', `"type" must be one of ${EVENT_TYPES.join(', ')}`);
    }
    const userId = i['userId'] ?? userIdFor('default');
    const now = this.#state.now();
    // A user who writes, follows or taps a button is a friend; one who unfollows blocked. [doc]
    if (type === 'unfollow') this.#friends.block(channelId, userId as string);
    else if (
      !this.#friends.reaches(channelId, userId as string) ||
      i['displayName'] !== undefined
    ) {
      this.#friends.follow(channelId, { userId, displayName: i['displayName'] });
    }
    const id = webhookEventId(now);
    const event: Record<string, unknown> = {
      type,
      timestamp: now,
      mode: 'active',
      webhookEventId: id,
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId },
    };
    if (type === 'message') {
      const text = i['text'];
      if (typeof text !== 'string' || text === '') {
        throw adminFailure(400, 'text', '"text" must be a non-empty string');
      }
      event['message'] = {
        type: 'text',
        id: String(this.#nextMessageId++),
        quoteToken: freshBytes(48).toString('base64url'),
        text,
      };
    } else if (type === 'postback') {
      const data = i['data'];
      if (typeof data !== 'string' || data === '') {
        throw adminFailure(400, 'data', '"data" must be a non-empty string');
      }
      event['postback'] = { data };
    } else if (type === 'follow') event['follow'] = { isUnblocked: false };
    // Every event but unfollow can be replied to. [doc]
    if (type !== 'unfollow') {
      event['replyToken'] = this.#replyTokens.issue(
        channelId,
        { webhookEventId: id, userId: userId as string },
        now,
      );
    }
    return this.#deliver(channelId, event, undefined);
  }

  /** Sends a kept delivery's event again, marked as a redelivery. */
  async redeliver(channelId: string, deliveryId: string): Promise<EmulatorWebhookDelivery> {
    const original = this.#deliveries.get(channelId)?.find((d) => d.id === deliveryId);
    if (!original) {
      this.#state.requireChannel(channelId);
      throw adminFailure(
        404,
        'deliveryId',
        `no delivery "${deliveryId}" for channel "${channelId}"`,
      );
    }
    const event = { ...structuredClone(original.event), deliveryContext: { isRedelivery: true } };
    return this.#deliver(channelId, event, original.id);
  }

  clear(): void {
    this.#urls.clear();
    this.#deliveries.clear();
  }

  async #deliver(
    channelId: string,
    event: Record<string, unknown>,
    redeliveryOf: string | undefined,
  ): Promise<EmulatorWebhookDelivery> {
    const channel = this.#state.requireChannel(channelId);
    const url = this.#urls.get(channelId) ?? null;
    const delivery: EmulatorWebhookDelivery = {
      id: String(this.#nextDelivery++),
      url,
      event,
      ...(redeliveryOf !== undefined && { redeliveryOf }),
      status: 'no-webhook-url',
      sentAt: this.#state.now(),
    };
    if (url !== null) {
      const body = JSON.stringify({ destination: botUserId(channelId), events: [event] });
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'x-line-signature': webhookSignature(channel.secret, body),
            'user-agent': 'LineBotWebhook/2.0',
          },
          body,
          signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        });
        await res.arrayBuffer().catch(() => undefined);
        delivery.httpStatus = res.status;
        // LINE counts any 2xx as delivered. [doc]
        delivery.status = res.ok ? 'delivered' : 'failed';
      } catch (err) {
        delivery.status = 'failed';
        delivery.error =
          err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'connection failed';
      }
    }
    let list = this.#deliveries.get(channelId);
    if (!list) this.#deliveries.set(channelId, (list = []));
    list.push(delivery);
    if (list.length > DELIVERIES_KEPT) list.splice(0, list.length - DELIVERIES_KEPT);
    return structuredClone(delivery);
  }
}
