// LINE's per-channel rate limits (/work/shared/EMULATOR.md, "Load"): a token bucket per
// channel and endpoint class. Rate limits run on real time, not the virtual clock: they
// exist to catch request storms, which happen in real time whatever the test's clock says.

/** Requests per second per channel to `POST /v2/oauth/accessToken`. [doc] */
export const SHORT_LIVED_ISSUE_RATE_PER_SEC = 370;
/** Requests per second per channel to every other endpoint. [doc] */
export const DEFAULT_RATE_PER_SEC = 2_000;

/** The two endpoint classes LINE limits separately. */
export type RateClass = 'accessToken' | 'other';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Token buckets keyed by channel and class; a bucket holds one second of requests. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clockMs: () => number = () => performance.now()) {}

  /** Takes one request from the channel's bucket; false when the bucket is empty. */
  take(channelId: string, rateClass: RateClass): boolean {
    const rate =
      rateClass === 'accessToken' ? SHORT_LIVED_ISSUE_RATE_PER_SEC : DEFAULT_RATE_PER_SEC;
    const key = rateClass === 'accessToken' ? `a:${channelId}` : `o:${channelId}`;
    const now = this.clockMs();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: rate, updatedMs: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.updatedMs) * rate) / 1000);
      bucket.updatedMs = now;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  clear(): void {
    this.buckets.clear();
  }
}
