/**
 * Reply tokens as LINE issues them: one per webhook event that can be replied to, usable
 * once, by the channel whose event it came with, within one minute of the event on the
 * emulator's virtual clock. Anything else is LINE's 400 `Invalid reply token`. [doc]
 *
 * @module
 */
import { freshBytes } from './internal/random.js';
import type { Answer } from './internal/responses.js';

/**
 * How long a reply token can be used, ms of the virtual clock. [doc: "within one minute"
 * of receiving the webhook; LINE does not guarantee later use, the emulator refuses it]
 */
export const REPLY_TOKEN_LIFETIME_MS = 60_000;
// Unused tokens are forgotten past this many per emulator: a double, not an archive. [ours]
const TOKENS_KEPT = 10_000;

/** LINE's answer to a reply token that is unknown, used, expired or another channel's. [doc] */
export const INVALID_REPLY_TOKEN: Answer = {
  status: 400,
  body: { message: 'Invalid reply token' },
};

interface Issued {
  channelId: string;
  webhookEventId: string;
  userId: string;
  issuedAt: number;
}

/** The event a reply token was issued with. */
export interface ReplyTarget {
  webhookEventId: string;
  userId: string;
}

/** The reply tokens handed out with webhook events and not used yet. */
export class ReplyTokens {
  readonly #open = new Map<string, Issued>();

  /** A fresh token for one event: 32 hex digits, as LINE's look. */
  issue(channelId: string, target: ReplyTarget, now: number): string {
    const token = freshBytes(16).toString('hex');
    this.#open.set(token, { channelId, ...target, issuedAt: now });
    if (this.#open.size > TOKENS_KEPT) {
      const oldest = this.#open.keys().next();
      if (!oldest.done) this.#open.delete(oldest.value);
    }
    return token;
  }

  /**
   * Uses a token for a reply by `channelId`: the event it was issued for, or undefined
   * (answer {@link INVALID_REPLY_TOKEN}). A used token is gone, whatever the reply's fate.
   */
  use(channelId: string, token: string, now: number): ReplyTarget | undefined {
    const issued = this.#open.get(token);
    if (issued === undefined || issued.channelId !== channelId) return undefined;
    this.#open.delete(token);
    if (now - issued.issuedAt > REPLY_TOKEN_LIFETIME_MS) return undefined;
    return { webhookEventId: issued.webhookEventId, userId: issued.userId };
  }

  clear(): void {
    this.#open.clear();
  }
}
