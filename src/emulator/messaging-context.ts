/**
 * What the Messaging API handlers share: the log of messages sent, and the context and
 * request shapes both the read routes (messaging.ts) and the send routes
 * (messaging-send.ts) take. Its own file so neither handler file imports the other's.
 *
 * @module
 */
import type { Friends } from './friends.js';
import type { ReplyTokens } from './reply-tokens.js';
import type { RetryKeys } from './retry-keys.js';
import type { EmulatorState } from './state.js';
import type { EmulatorMessage, MessagingOutcome, MessagingTokenFamily } from './types.js';

// Older messages of a channel are forgotten past this many: a double, not an archive.
const MESSAGES_KEPT = 1_000;

/** The messages each channel received, oldest first, and the id counter of sent messages. */
export class MessageLog {
  #byChannel = new Map<string, EmulatorMessage[]>();
  #nextId = 100_000_000_000_000_000n;

  list(channelId: string): EmulatorMessage[] {
    const all = this.#byChannel.get(channelId) ?? [];
    return all.slice(Math.max(0, all.length - MESSAGES_KEPT)).map((m) => structuredClone(m));
  }

  add(channelId: string, message: EmulatorMessage): void {
    let list = this.#byChannel.get(channelId);
    if (!list) this.#byChannel.set(channelId, (list = []));
    list.push(message);
    // Trimmed in batches, not one splice per message past the limit (each moved the whole
    // list, which made a busy channel's every push pay for a thousand messages kept).
    if (list.length > MESSAGES_KEPT * 1.25) list.splice(0, list.length - MESSAGES_KEPT);
  }

  /** A message id in LINE's shape: a decimal string. */
  messageId(): string {
    return String(this.#nextId++);
  }

  clear(): void {
    this.#byChannel.clear();
  }
}

/** What the Messaging API needs from the running emulator. */
export interface MessagingContext {
  readonly state: EmulatorState;
  readonly messages: MessageLog;
  readonly friends: Friends;
  readonly retryKeys: RetryKeys;
  readonly replyTokens: ReplyTokens;
  readonly admit: (channelId: string, endpoint: string) => boolean;
  countMessaging(family: MessagingTokenFamily, outcome: MessagingOutcome): void;
}

/** The request as the server read it. */
export interface MessagingRequest {
  authorization: string | undefined;
  contentType: string | undefined;
  retryKey: string | undefined;
  body: Buffer | undefined;
  /** The `x-line-request-id` of the answer (a retry key's 409 repeats the accepted one). */
  requestId: string;
  /** The query string (may be empty). */
  query: string;
}
