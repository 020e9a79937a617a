/**
 * The emulator's virtual LINE users: who follows each channel's bot, who blocked it, and the
 * channel's monthly message quota. Users appear through the admin API (`addFriend`) or the
 * webhook events a test sends (a message or follow makes a friend, an unfollow a blocker).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { adminFailure } from './internal/admin-error.js';
import { USER_ID } from './internal/message-validation.js';
import type { Answer } from './internal/responses.js';
import type { EmulatorFriend } from './types.js';

/** LINE's answer once a channel's monthly message limit is used up. [doc] */
export const MONTHLY_LIMIT_REACHED: Answer = {
  status: 429,
  body: { message: 'You have reached your monthly limit.' },
};

/** LINE's answer for a user who is not a friend of the bot (profile). [doc] */
export const USER_NOT_FOUND: Answer = { status: 404, body: { message: 'Not found' } };

/** The bot's own user ID for a channel, in LINE's shape (`U` and 32 hex digits). */
export function botUserId(channelId: string): string {
  return `U${createHash('sha256').update(`bot:${channelId}`).digest('hex').slice(0, 32)}`;
}

/** A user ID in LINE's shape derived from a seed, so tests can name users by words. */
export function userIdFor(seed: string): string {
  return `U${createHash('sha256').update(`user:${seed}`).digest('hex').slice(0, 32)}`;
}

// The last month named and the times it spans: a send asks for the month of "now", which
// nearly always falls in the month asked last, and formatting a date costs more than a push.
let monthText = '';
let monthStartMs = 0;
let monthEndMs = -1;

/** The month a time falls in, `YYYY-MM` (UTC), for the quota's monthly count. */
function monthOf(ms: number): string {
  if (ms >= monthStartMs && ms < monthEndMs) return monthText;
  const date = new Date(ms);
  monthText = date.toISOString().slice(0, 7);
  monthStartMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  monthEndMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return monthText;
}

interface ChannelUsers {
  users: Map<string, EmulatorFriend>;
  /** Monthly message limit; undefined: none (LINE's `type: "none"`). */
  limit: number | undefined;
  month: string;
  used: number;
}

/** Friends and quota of every channel. */
export class Friends {
  readonly #byChannel = new Map<string, ChannelUsers>();

  #of(channelId: string): ChannelUsers {
    let c = this.#byChannel.get(channelId);
    if (!c)
      this.#byChannel.set(
        channelId,
        (c = { users: new Map(), limit: undefined, month: '', used: 0 }),
      );
    return c;
  }

  /** Adds (or re-follows) a user; answers the friend as stored. */
  follow(
    channelId: string,
    input: { userId?: unknown; displayName?: unknown } = {},
  ): EmulatorFriend {
    const userId = input.userId ?? userIdFor(String(this.#of(channelId).users.size + 1));
    if (typeof userId !== 'string' || !USER_ID.test(userId)) {
      throw adminFailure(400, 'userId', '"userId" must be "U" and 32 lower-case hex digits');
    }
    const name = input.displayName;
    if (name !== undefined && (typeof name !== 'string' || name === '' || name.length > 100)) {
      throw adminFailure(
        400,
        'displayName',
        '"displayName" must be a string of 1 to 100 characters',
      );
    }
    const users = this.#of(channelId).users;
    const old = users.get(userId);
    const friend: EmulatorFriend = {
      userId,
      displayName: name ?? old?.displayName ?? `User ${userId.slice(1, 7)}`,
      blocked: false,
    };
    users.set(userId, friend);
    return { ...friend };
  }

  /** The user blocks the bot (LINE's unfollow). */
  block(channelId: string, userId: string): void {
    const users = this.#of(channelId).users;
    const known = users.get(userId) ?? this.follow(channelId, { userId });
    users.set(userId, { ...known, blocked: true });
  }

  /** A user as known to the channel, or undefined. */
  get(channelId: string, userId: string): EmulatorFriend | undefined {
    const f = this.#byChannel.get(channelId)?.users.get(userId);
    return f && { ...f };
  }

  list(channelId: string): EmulatorFriend[] {
    return [...(this.#byChannel.get(channelId)?.users.values() ?? [])].map((f) => ({ ...f }));
  }

  /** Whether a message to `userId` reaches them: a friend who has not blocked the bot. */
  reaches(channelId: string, userId: string): boolean {
    const f = this.#byChannel.get(channelId)?.users.get(userId);
    return f !== undefined && !f.blocked;
  }

  /** Sets the monthly limit (null: none). */
  setLimit(channelId: string, limit: unknown): void {
    if (limit !== null && (!Number.isInteger(limit) || (limit as number) < 0)) {
      throw adminFailure(400, 'limit', '"limit" must be a non-negative integer or null');
    }
    this.#of(channelId).limit = limit === null ? undefined : (limit as number);
  }

  /**
   * Counts `count` messages against this month's quota; false (nothing counted) when they
   * would pass the limit. Reply messages are free and never come here. [doc]
   */
  consume(channelId: string, count: number, now: number): boolean {
    const c = this.#of(channelId);
    this.#roll(c, now);
    if (c.limit !== undefined && c.used + count > c.limit) return false;
    c.used += count;
    return true;
  }

  /** LINE's quota answer: `{type: "none"}` or `{type: "limited", value}`. [doc] */
  quota(channelId: string): object {
    const limit = this.#byChannel.get(channelId)?.limit;
    return limit === undefined ? { type: 'none' } : { type: 'limited', value: limit };
  }

  /** LINE's consumption answer: `{totalUsage}` this month. [doc] */
  consumption(channelId: string, now: number): object {
    const c = this.#of(channelId);
    this.#roll(c, now);
    return { totalUsage: c.used };
  }

  /** Friends that have not blocked the bot, for broadcast counting and followers. */
  followers(channelId: string): string[] {
    return this.list(channelId)
      .filter((f) => !f.blocked)
      .map((f) => f.userId);
  }

  clear(): void {
    this.#byChannel.clear();
  }

  // A new month of the virtual clock starts a new count. [doc: the quota is monthly]
  #roll(c: ChannelUsers, now: number): void {
    const month = monthOf(now);
    if (c.month !== month) {
      c.month = month;
      c.used = 0;
    }
  }
}
