/**
 * LINE's per-channel rate limits (docs/line-rules.md, "Load"): a token bucket per
 * channel and per endpoint, since LINE limits "each API function" on its own: a storm of
 * verifies leaves the same channel's issues alone. Rate limits run on real time, not the virtual clock: they
 * exist to catch request storms, which happen in real time whatever the test's clock says.
 *
 * @module
 */

/** Requests per second per channel to `POST /v2/oauth/accessToken`. [doc] */
export const SHORT_LIVED_ISSUE_RATE_PER_SEC = 370;
/** Requests per second per channel to every other endpoint. [doc] */
export const DEFAULT_RATE_PER_SEC = 2_000;
/** Requests per second per channel to `POST /v2/bot/message/multicast`. [doc] */
export const MULTICAST_RATE_PER_SEC = 200;
/** Requests per hour per channel to `POST /v2/bot/message/broadcast`. [doc] */
export const BROADCAST_RATE_PER_HOUR = 60;

// Per endpoint: how many requests a full bucket holds, and per how many seconds. [doc]
const LIMITS: Readonly<Record<string, readonly [number, number]>> = {
  issueShortLived: [SHORT_LIVED_ISSUE_RATE_PER_SEC, 1],
  multicast: [MULTICAST_RATE_PER_SEC, 1],
  broadcast: [BROADCAST_RATE_PER_HOUR, 3600],
};
const DEFAULT_LIMIT = [DEFAULT_RATE_PER_SEC, 1] as const;

/**
 * The endpoint a request is counted against: an operation or Messaging endpoint name
 * (`'issueShortLived'`, `'multicast'` and `'broadcast'` have limits of their own, every
 * other one {@link DEFAULT_RATE_PER_SEC}).
 */
export type RateClass = string;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Token buckets keyed by channel and endpoint; a bucket holds one window of requests. */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();

  readonly #clockMs: () => number;

  constructor(clockMs: () => number = () => performance.now()) {
    this.#clockMs = clockMs;
  }

  /** Takes one request from the channel's bucket; false when the bucket is empty. */
  take(channelId: string, rateClass: RateClass): boolean {
    const [capacity, windowSec] = LIMITS[rateClass] ?? DEFAULT_LIMIT;
    const key = `${rateClass}\u0000${channelId}`;
    const now = this.#clockMs();
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { tokens: capacity, updatedMs: now };
      this.#buckets.set(key, bucket);
    } else {
      const refill = ((now - bucket.updatedMs) * capacity) / (windowSec * 1000);
      bucket.tokens = Math.min(capacity, bucket.tokens + refill);
      bucket.updatedMs = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  clear(): void {
    this.#buckets.clear();
  }
}
