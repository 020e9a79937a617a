/**
 * Which channel a webhook's `destination` (the bot's user id) belongs to: learnt by asking
 * the Messaging API `GET /v2/bot/info` with each channel's token, kept in memory and in
 * the registry's store, so a fleet learns each mapping once.
 *
 * @module
 */
import { LineApiError, LineInvalidResponseError, LineNetworkError } from '../../errors.js';
import type { TokenStore } from '../store.js';

/** How long a learnt mapping stays in the store: a bot's user id never changes. */
const KEPT_MS = 30 * 86_400_000;

/** What the mapping needs. */
export interface DestinationDeps {
  readonly store: TokenStore | undefined;
  readonly fetch: typeof fetch;
  /** The Messaging API base URL, without a trailing slash. */
  readonly baseUrl: string;
  readonly now: () => number;
  readonly timeoutMs: number;
  /** A valid token of `channelId`. */
  readonly tokenOf: (channelId: string) => Promise<string>;
}

/** The store key of the channel of bot user id `destination`. */
export function destinationKey(destination: string): string {
  return `destination:${destination}`;
}

/** Destination → channel id. */
export class Destinations {
  readonly #d: DestinationDeps;
  readonly #channels = new Map<string, string>();
  /** Channels whose bot user id is known (asked or found). */
  readonly #asked = new Set<string>();

  constructor(deps: DestinationDeps) {
    this.#d = deps;
  }

  /** The bot user id of `channelId`, from LINE, remembered in memory and in the store. */
  async learn(channelId: string): Promise<string> {
    const token = await this.#d.tokenOf(channelId);
    let response: Response;
    try {
      response = await this.#d.fetch(`${this.#d.baseUrl}/v2/bot/info`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(this.#d.timeoutMs),
      });
    } catch (err) {
      throw new LineNetworkError('getBotInfo', { cause: err });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new LineApiError({ operation: 'getBotInfo', status: response.status });
    }
    const info = (await response.json().catch(() => undefined)) as { userId?: unknown } | undefined;
    if (typeof info?.userId !== 'string' || info.userId === '') {
      throw new LineInvalidResponseError({
        operation: 'getBotInfo',
        status: response.status,
        reason: 'the bot info has no userId',
      });
    }
    this.#channels.set(info.userId, channelId);
    this.#asked.add(channelId);
    const at = this.#d.now();
    // A store keeps tokens; the mapping rides in the same shape, the channel id as its value.
    await this.#d.store
      ?.set(
        destinationKey(info.userId),
        { accessToken: channelId, issuedAt: at, expiresAt: at + KEPT_MS, type: 'destination' },
        KEPT_MS,
      )
      .catch(() => undefined); // memory still has it; the store is a cache here
    return info.userId;
  }

  /**
   * The channel of `destination`: from memory, else the store, else by asking LINE for
   * the bot of each of `candidates` not asked yet, until one matches.
   */
  async find(destination: string, candidates: Iterable<string>): Promise<string | undefined> {
    const known = this.#channels.get(destination);
    if (known !== undefined) return known;
    const stored = await this.#d.store?.get(destinationKey(destination)).catch(() => undefined);
    if (stored?.type === 'destination') {
      this.#channels.set(destination, stored.accessToken);
      return stored.accessToken;
    }
    for (const channelId of candidates) {
      if (this.#asked.has(channelId)) continue;
      if ((await this.learn(channelId)) === destination) return channelId;
    }
    return undefined;
  }
}
