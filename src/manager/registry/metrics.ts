/**
 * What `TokenManagerRegistry.status()` reports: the shape, and the counters of failures
 * by cause that the engine and the limiter feed.
 *
 * @module
 */
import { LineApiError, LineTokenError } from '../../errors.js';

/** A snapshot of a {@link TokenManagerRegistry} for dashboards and alerts. */
export interface TokenManagerRegistryStatus {
  /** Channels in memory: `register()`ed ones plus those the `credentials` loader brought. */
  readonly channels: number;
  /** Of those, channels the loader brought (evictable). */
  readonly loadedChannels: number;
  /**
   * Channels by the state of their token: `fresh` (before its refresh time), `refreshDue`
   * (inside its refresh window, still served), `expired` (none to serve: the next
   * `getToken()` issues), `failing` (the last attempt failed).
   */
  readonly tokens: {
    readonly fresh: number;
    readonly refreshDue: number;
    readonly expired: number;
    readonly failing: number;
  };
  /** Issue requests waiting in the registry's queue. */
  readonly queueLength: number;
  /** Issue requests to LINE in flight now. */
  readonly refreshesInFlight: number;
  /** The most issue requests ever in flight at once (never above `maxConcurrentIssues`). */
  readonly peakRefreshesInFlight: number;
  /** Issue endpoints paused by a 429 from LINE, with the epoch ms they resume at. */
  readonly pausedEndpoints: Readonly<Record<string, number>>;
  /**
   * Failures since the registry started, by cause: an error code (`ERR_LINE_NETWORK`,
   * `ERR_LINE_TIMEOUT`...), `ERR_LINE_API:<status>` for LINE's refusals, `queue` for
   * callers whose issue waited too long in the queue, `store` for store failures,
   * `credentials` for loader failures.
   */
  readonly failuresByCause: Readonly<Record<string, number>>;
  /** Channels evicted by the `maxChannels` bound since the registry started. */
  readonly evictions: number;
}

/** The cause a failure is counted under. */
export function causeOf(err: unknown): string {
  if (err instanceof LineApiError) return `${err.code}:${err.status}`;
  if (err instanceof LineTokenError) return err.code;
  return 'unknown';
}

/** Failure counters by cause. */
export class FailureCounts {
  readonly #counts = new Map<string, number>();

  /** Counts one failure at `stage`: issues by their error's cause, the others by stage. */
  add(stage: 'issue' | 'queue' | 'store' | 'credentials', err: unknown): void {
    const cause = stage === 'issue' ? causeOf(err) : stage;
    this.#counts.set(cause, (this.#counts.get(cause) ?? 0) + 1);
  }

  /** The counts as a plain object. */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }
}
