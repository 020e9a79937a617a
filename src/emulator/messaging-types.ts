/**
 * Public shapes of the emulator's local LINE: virtual friends, webhook events and their
 * deliveries.
 *
 * @module
 */

/** A virtual LINE user as a channel knows them. */
export interface EmulatorFriend {
  /** LINE's user ID: `U` and 32 hex digits. */
  userId: string;
  /** The profile's display name. */
  displayName: string;
  /** Whether the user blocked the bot (unfollowed): messages to them are not delivered. */
  blocked: boolean;
}

/**
 * What a virtual user does, sent to the bot's webhook as one event. `userId` defaults to
 * one fixed user; `displayName` names them on first contact.
 */
export type EmulatorEventInput =
  | { type: 'message'; text: string; userId?: string; displayName?: string }
  | { type: 'follow' | 'unfollow'; userId?: string; displayName?: string }
  | { type: 'postback'; data: string; userId?: string; displayName?: string };

/** One POST of a webhook event to the bot, and how it went. */
export interface EmulatorWebhookDelivery {
  /** The delivery's id, for `redeliver`. */
  id: string;
  /** Where it was sent; `null` when the channel has no webhook URL (nothing was sent). */
  url: string | null;
  /** The event as sent, with its `replyToken` when it can be replied to. */
  event: Record<string, unknown>;
  /** For a redelivery: the id of the delivery it repeats. */
  redeliveryOf?: string;
  /** `delivered` (a 2xx), `failed` (another status, no answer, a timeout) or `no-webhook-url`. */
  status: 'delivered' | 'failed' | 'no-webhook-url';
  /** The bot's HTTP status, when it answered. */
  httpStatus?: number;
  /** Why it failed without an answer: `timeout` or `connection failed`. */
  error?: string;
  /** When it was sent, epoch ms on the emulator's clock. */
  sentAt: number;
}
