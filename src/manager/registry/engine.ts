/**
 * The registry's compact engine for stateless channels: one {@link TokenTable}, one
 * {@link RefreshSchedule} (a heap and one timer) for every channel's refresh, and issues through the
 * registry's {@link IssueLimiter}. Stateless tokens take no slot at LINE and cannot be
 * revoked, so none of the manager's slot accounting applies to them; the refresh-window
 * and backoff decisions are the manager's own pure functions (`policy.ts`).
 *
 * @module
 */
import type { ChannelAccessTokenClient } from '../../client/client.js';
import { TokenStoreError } from '../../errors.js';
import { createIssuer } from '../internal/issuer.js';
import type { Settings } from '../internal/options.js';
import { asLineTokenError } from '../internal/outcome.js';
import { backoffDelayMs, isTransient, tokenTiming } from '../internal/policy.js';
import { withTimeout } from '../internal/timers.js';
import { isStoredToken, type TokenStore } from '../store.js';
import type { TokenStrategy } from '../types.js';
import { isCredentialRefusal, keyOf, queueError, unavailable } from './outcomes.js';
import type { IssueLimiter } from './limiter.js';
import type { FailureCounts } from './metrics.js';
import { RefreshSchedule } from './schedule.js';
import { SINCE_REFRESH, TokenTable, USED } from './table.js';

/** What the engine runs on. */
export interface EngineDeps {
  readonly settings: Settings;
  readonly client: ChannelAccessTokenClient;
  readonly store: TokenStore | undefined;
  readonly limiter: IssueLimiter;
  /** How long a caller with no servable token waits for the queue to start its issue, ms. */
  readonly queueTimeoutMs: number;
  /** Loads a channel's credentials again after LINE refused the ones it had. */
  readonly reload: (channelId: string) => Promise<TokenStrategy>;
  readonly failures: FailureCounts;
}

// The limiter's queue length past which due refreshes stay in the schedule.
const BACKLOG = 1_024;

/** Stateless channels, compactly. */
export class CompactEngine {
  readonly table = new TokenTable();
  readonly #d: EngineDeps;
  readonly #now: () => number;
  readonly #schedule: RefreshSchedule;
  readonly #refreshing = new Map<number, Promise<void>>();
  readonly #started = new Set<number>();
  readonly #errors = new Map<number, unknown>();
  readonly #waits = new Map<number, { refresh: Promise<void>; promise: Promise<void> }>();

  constructor(deps: EngineDeps) {
    this.#d = deps;
    this.#now = deps.settings.now;
    this.#schedule = new RefreshSchedule({
      table: this.table,
      timers: deps.settings.timers,
      now: deps.settings.now,
      backlogged: () => deps.limiter.queued >= BACKLOG,
      due: (slot, now) => this.#due(slot, now),
    });
  }

  /** The channel's token when it may be served now, from memory; the hot path. */
  peek(id: string): string | undefined {
    const t = this.table;
    const slot = t.index.get(id);
    if (slot !== undefined && t.serveUntil[slot]! > this.#now()) {
      t.used[slot] = USED;
      return t.tokens[slot];
    }
    return undefined;
  }

  /** Adds channel `id`, adopting the token the store holds for it, if still servable. */
  async activate(id: string, strategy: TokenStrategy): Promise<number> {
    const slot = this.table.add(id, strategy);
    const store = this.#d.store;
    if (store === undefined) return slot;
    try {
      const stored = await withTimeout(
        store.get(keyOf(id)),
        this.#d.settings.storeTimeoutMs,
        () => new TokenStoreError('the token store did not answer in time'),
      );
      if (this.table.ids[slot] === id && isStoredToken(stored) && stored.type === 'stateless') {
        this.#adopt(slot, stored.accessToken, stored.issuedAt, stored.expiresAt, stored.refreshAt);
      }
    } catch (err) {
      // The store is a cache here: without it the channel issues, as if it held nothing.
      this.#d.failures.add('store', err);
    }
    return slot;
  }

  /** A servable token of `slot`, issuing one (through the queue) when there is none. */
  async token(slot: number): Promise<string> {
    const t = this.table;
    t.used[slot] = USED;
    if (t.serveUntil[slot]! > this.#now()) return t.tokens[slot]!;
    const id = t.ids[slot]!;
    const last = this.#errors.get(slot);
    // A permanent refusal of the credentials in hand is not asked again of LINE.
    if (last !== undefined && !isTransient(last) && t.strategies[slot] !== undefined) {
      throw unavailable(last, id);
    }
    const refresh = this.refresh(slot, this.#now());
    // One queue timer per refresh, however many callers wait for it.
    let waiting = this.#waits.get(slot);
    if (waiting?.refresh !== refresh) {
      const promise = this.#wait(slot, id, refresh);
      waiting = { refresh, promise };
      this.#waits.set(slot, waiting);
      const done = (): void => {
        if (this.#waits.get(slot)?.promise === promise) this.#waits.delete(slot);
      };
      promise.then(done, done);
    }
    await waiting.promise;
    if (t.ids[slot] === id && t.serveUntil[slot]! > this.#now()) return t.tokens[slot]!;
    throw unavailable(this.#errors.get(slot), id);
  }

  /** Starts (or joins) the refresh of `slot`, queued by `deadline`. */
  refresh(slot: number, deadline: number): Promise<void> {
    let running = this.#refreshing.get(slot);
    if (running === undefined) {
      running = this.#issue(slot, deadline).finally(() => {
        this.#refreshing.delete(slot);
        this.#started.delete(slot);
      });
      this.#refreshing.set(slot, running);
    }
    return running;
  }

  /** Whether `slot` has a refresh running or queued (it is not evicted meanwhile). */
  busy(slot: number): boolean {
    return this.#refreshing.has(slot);
  }

  /** Drops `slot`'s channel from memory (its token stays in the store). */
  evict(slot: number): void {
    this.#errors.delete(slot);
    this.table.remove(slot);
  }

  /** Counts for `status()`. */
  counts(): ReturnType<TokenTable['tally']> & { refreshing: number; failing: number } {
    return {
      ...this.table.tally(this.#now()),
      refreshing: this.#refreshing.size,
      failing: this.#errors.size,
    };
  }

  /** Stops the schedule; refreshes in flight finish. */
  stop(): void {
    this.#schedule.stop();
  }

  #wait(slot: number, id: string, refresh: Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timers = this.#d.settings.timers;
      const timer = timers.setTimeout(() => {
        // Still queued: the registry's queue, not LINE, is why there is no token. Once
        // LINE has the request, the issue's own timeout bounds the wait instead.
        if (!this.#started.has(slot) && this.#refreshing.get(slot) === refresh) {
          this.#d.failures.add('queue', undefined);
          reject(queueError(id, this.#d.queueTimeoutMs, this.#d.limiter.status()));
        }
      }, this.#d.queueTimeoutMs);
      refresh.then(
        () => {
          timers.clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          timers.clearTimeout(timer);
          reject(unavailable(err, id));
        },
      );
    });
  }

  async #issue(slot: number, deadline: number): Promise<void> {
    const t = this.table;
    const s = this.#d.settings;
    const id = t.ids[slot]!;
    let strategy = t.strategies[slot];
    if (strategy === undefined) {
      strategy = await this.#d.reload(id);
      if (t.ids[slot] !== id) return;
      t.strategies[slot] = strategy;
      this.#errors.delete(slot);
    }
    try {
      const issued = await this.#d.limiter.run('issueStateless', deadline, () => {
        this.#started.add(slot);
        // Built when the issue starts, not kept: an issuer is a closure graph, and a
        // queue of 100,000 channels should hold 100,000 small jobs, not issuers.
        return createIssuer(strategy, this.#d.client, this.#now, s).issue(s.issueTimeoutMs);
      });
      if (t.ids[slot] !== id) return;
      t.failures[slot] = 0;
      this.#errors.delete(slot);
      const refreshAt = this.#adopt(slot, issued.accessToken, issued.issuedAt, issued.expiresAt);
      s.hooks.onTokenIssued({ ...issued, type: 'stateless', channelId: id, refreshAt });
      this.#d.store
        ?.set(
          keyOf(id),
          {
            accessToken: issued.accessToken,
            issuedAt: issued.issuedAt,
            expiresAt: issued.expiresAt,
            type: 'stateless',
            refreshAt,
          },
          Math.max(1, issued.expiresAt - s.wallNow()),
        )
        .catch((err: unknown) => this.#d.failures.add('store', err));
    } catch (err) {
      this.#d.failures.add('issue', err);
      if (t.ids[slot] !== id) throw err;
      this.#errors.set(slot, err);
      const permanent = !isTransient(err);
      let nextAttemptAt: number | undefined;
      if (!permanent) {
        if (t.failures[slot]! < 255) t.failures[slot]!++;
        const retryAfter = (err as { retryAfterSec?: number }).retryAfterSec;
        const now = this.#now();
        nextAttemptAt =
          now +
          backoffDelayMs(
            t.failures[slot]!,
            s.backoff,
            s.random(),
            retryAfter,
            t.serveUntil[slot]! - now,
          );
        this.#schedule.at(slot, nextAttemptAt);
      } else if (isCredentialRefusal(err)) {
        t.strategies[slot] = undefined; // the next use loads them again
      }
      s.hooks.onRefreshError({
        error: asLineTokenError(err),
        permanent,
        nextAttemptAt,
        servingCurrentToken: t.serveUntil[slot]! > this.#now(),
      });
      throw err;
    }
  }

  /** Installs a token in `slot` and schedules its refresh; returns the refresh time. */
  #adopt(
    slot: number,
    token: string,
    issuedAt: number,
    expiresAt: number,
    refreshAt?: number,
  ): number {
    const timing = tokenTiming(
      issuedAt,
      expiresAt,
      this.#d.settings.random(),
      this.#d.settings.window,
    );
    const at =
      refreshAt !== undefined && refreshAt < timing.serveUntil ? refreshAt : timing.refreshAt;
    const t = this.table;
    t.tokens[slot] = token;
    t.serveUntil[slot] = timing.serveUntil;
    t.refreshAt[slot] = at;
    this.#schedule.at(slot, at);
    return at;
  }

  /** A due slot from the schedule: refreshed when someone used it since its last token. */
  #due(slot: number, now: number): void {
    const t = this.table;
    const retrying = this.#errors.has(slot) && t.failures[slot]! < this.#d.settings.maxAttempts;
    // A channel nobody asked for since its last token is left to lapse: the next
    // getToken() issues (through the queue) instead of LINE being asked on a timer.
    if ((t.used[slot]! & SINCE_REFRESH) === 0 && !retrying) return;
    t.used[slot] = t.used[slot]! & ~SINCE_REFRESH;
    const deadline = t.serveUntil[slot]! > 0 ? t.serveUntil[slot]! : now;
    this.refresh(slot, deadline).catch(() => {
      // Reported through onRefreshError and status(); the current token serves meanwhile.
    });
  }
}
