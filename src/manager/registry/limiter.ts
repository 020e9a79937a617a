/**
 * The registry's one issue limiter: at most `maxConcurrent` issue requests to LINE in
 * flight across every channel, the rest queued earliest deadline first, each issue
 * endpoint paced under LINE's documented rate and paused on its own when LINE answers 429.
 *
 * @module
 */
import { LineApiError } from '../../errors.js';
import { ISSUE_RATE_PER_SEC } from '../../line/facts.js';
import { scheduleAt } from '../internal/timers.js';
import type { ManagerTimers } from '../types.js';
import { MinHeap } from './heap.js';

/** An issue endpoint, named by the client operation that calls it. */
export type IssueEndpoint = keyof typeof ISSUE_RATE_PER_SEC;

/**
 * The share of LINE's documented per-channel rate the registry allows itself across all
 * channels together: half, so a registry alone never brings any channel near a 429, and
 * LINE's unpublished "many tokens in a short period" restriction sees a steady pace.
 */
export const RATE_SHARE = 0.5;

/** Pause of an endpoint after a 429 that named no `Retry-After`, ms. */
export const DEFAULT_429_PAUSE_MS = 1_000;

/** What the limiter runs on. */
export interface LimiterDeps {
  readonly maxConcurrent: number;
  readonly now: () => number;
  readonly timers: ManagerTimers;
  /** Requests per second per endpoint; defaults to {@link RATE_SHARE} of LINE's. */
  readonly ratePerSec?: Readonly<Record<IssueEndpoint, number>>;
}

interface Bucket {
  tokens: number;
  at: number;
}

type Job = () => void;

/** A snapshot of the limiter. */
export interface LimiterStatus {
  readonly inFlight: number;
  readonly queued: number;
  /** The most requests ever in flight at once. */
  readonly peakInFlight: number;
  /** Endpoints paused by a 429, with the epoch ms they resume at. */
  readonly pausedUntil: Readonly<Partial<Record<IssueEndpoint, number>>>;
}

/** Runs issue requests under one bound, by deadline, per-endpoint paced. */
export class IssueLimiter {
  readonly #d: LimiterDeps;
  readonly #rate: Readonly<Record<IssueEndpoint, number>>;
  readonly #queues = new Map<IssueEndpoint, MinHeap<Job>>();
  readonly #buckets = new Map<IssueEndpoint, Bucket>();
  readonly #paused = new Map<IssueEndpoint, number>();
  #inFlight = 0;
  #peak = 0;
  #queued = 0;
  #wakeAt = Number.POSITIVE_INFINITY;
  #cancelWake: (() => void) | undefined;

  constructor(deps: LimiterDeps) {
    this.#d = deps;
    this.#rate = deps.ratePerSec ?? {
      issueShortLived: ISSUE_RATE_PER_SEC.issueShortLived * RATE_SHARE,
      issueV21: ISSUE_RATE_PER_SEC.issueV21 * RATE_SHARE,
      issueStateless: ISSUE_RATE_PER_SEC.issueStateless * RATE_SHARE,
    };
  }

  /**
   * Runs `task` once a place is free and its endpoint may be called, before every queued
   * task with a later `deadline` (epoch ms). A 429 it throws pauses `endpoint` for its
   * `Retry-After`; the error still reaches the caller, whose backoff decides what next.
   */
  run<T>(endpoint: IssueEndpoint, deadline: number, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = () => {
        this.#inFlight++;
        if (this.#inFlight > this.#peak) this.#peak = this.#inFlight;
        let running: Promise<T>;
        try {
          running = task();
        } catch (err) {
          running = Promise.reject(err);
        }
        running
          .then(resolve, (err: unknown) => {
            this.#noteFailure(endpoint, err);
            reject(err);
          })
          .finally(() => {
            this.#inFlight--;
            this.#pump();
          });
      };
      let queue = this.#queues.get(endpoint);
      if (queue === undefined) this.#queues.set(endpoint, (queue = new MinHeap<Job>()));
      queue.push(deadline, job);
      this.#queued++;
      this.#pump();
    });
  }

  /** Requests waiting for a place. */
  get queued(): number {
    return this.#queued;
  }

  /** Stops starting requests to `endpoint` until `until` (epoch ms). */
  pause(endpoint: IssueEndpoint, until: number): void {
    if (until > (this.#paused.get(endpoint) ?? 0)) this.#paused.set(endpoint, until);
  }

  /** A snapshot for `status()`. */
  status(): LimiterStatus {
    const now = this.#d.now();
    const pausedUntil: Partial<Record<IssueEndpoint, number>> = {};
    for (const [endpoint, until] of this.#paused) if (until > now) pausedUntil[endpoint] = until;
    return {
      inFlight: this.#inFlight,
      queued: this.#queued,
      peakInFlight: this.#peak,
      pausedUntil,
    };
  }

  /** Stops the wake-up timer; queued jobs stay queued (the registry is closing). */
  stop(): void {
    this.#cancelWake?.();
    this.#cancelWake = undefined;
    this.#wakeAt = Number.POSITIVE_INFINITY;
  }

  #noteFailure(endpoint: IssueEndpoint, err: unknown): void {
    if (err instanceof LineApiError && err.status === 429) {
      const wait =
        err.retryAfterSec === undefined ? DEFAULT_429_PAUSE_MS : err.retryAfterSec * 1000;
      this.pause(endpoint, this.#d.now() + wait);
    }
  }

  /** When `endpoint` may next be called (≤ now: at once), refilling its bucket. */
  #readyAt(endpoint: IssueEndpoint, now: number): number {
    const paused = this.#paused.get(endpoint) ?? 0;
    const rate = this.#rate[endpoint];
    let bucket = this.#buckets.get(endpoint);
    if (bucket === undefined) this.#buckets.set(endpoint, (bucket = { tokens: rate, at: now }));
    // A bucket holds one second of requests, like LINE's.
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) * rate) / 1000);
    bucket.at = now;
    const refill = bucket.tokens >= 1 ? now : now + ((1 - bucket.tokens) * 1000) / rate;
    return Math.max(paused, refill);
  }

  #pump(): void {
    while (this.#inFlight < this.#d.maxConcurrent && this.#queued > 0) {
      const now = this.#d.now();
      let best: IssueEndpoint | undefined;
      let bestDeadline = Number.POSITIVE_INFINITY;
      let wake = Number.POSITIVE_INFINITY;
      for (const [endpoint, queue] of this.#queues) {
        if (queue.size === 0) continue;
        const ready = this.#readyAt(endpoint, now);
        if (ready > now) {
          wake = Math.min(wake, ready);
        } else if (best === undefined || queue.peekKey() < bestDeadline) {
          best = endpoint;
          bestDeadline = queue.peekKey();
        }
      }
      if (best === undefined) {
        this.#armWake(wake);
        return;
      }
      this.#buckets.get(best)!.tokens -= 1;
      this.#queued--;
      this.#queues.get(best)!.pop()!();
    }
  }

  #armWake(at: number): void {
    if (at >= this.#wakeAt || !Number.isFinite(at)) return;
    this.#cancelWake?.();
    this.#wakeAt = at;
    this.#cancelWake = scheduleAt(this.#d.timers, this.#d.now, at, () => {
      this.#wakeAt = Number.POSITIVE_INFINITY;
      this.#cancelWake = undefined;
      this.#pump();
    });
  }
}
