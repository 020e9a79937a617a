/**
 * The manager's only door to its {@link TokenStore}: every call bounded in time, every
 * failure turned into one recognizable error, and the degraded/recovered transitions
 * reported once each.
 *
 * @module
 */
import { TokenStoreError } from '../../errors.js';
import {
  isStoredToken,
  type StoredToken,
  type TokenLock,
  type TokenStore,
  type UnresolvedIssue,
} from '../store.js';
import type { TokenManagerWarning } from '../types.js';
import { CLOCK_SKEW_WARN_MS } from '../constants.js';
import type { Settings } from './options.js';
import { sleep } from '../../internal/sleep.js';
import { withTimeout } from './timers.js';

/**
 * A store call failed or hung; the manager falls back to its own token. A
 * {@link TokenStoreError} (`ERR_LINE_STORE`), so it is a documented error wherever it ends up.
 */
export class StoreDown extends TokenStoreError {
  constructor(cause: unknown) {
    super(
      cause instanceof Error && cause instanceof TokenStoreError
        ? `the token store failed: ${cause.message}`
        : 'the token store failed (see the cause)',
      { cause },
    );
    this.name = 'TokenStoreError';
  }
}

/** Whose tokens the key holds: a record naming another is refused. */
export interface StoreOwner {
  readonly type: string;
  readonly channelId: string;
}

// How often the offset to the store's clock is measured again, ms.
const OFFSET_REFRESH_MS = 300_000;

// The ledger record's type and token field: it is never a token, and no strategy has this type.
const LEDGER_TYPE = 'unresolved-issues';

// A copy of `token` with its times moved by `ms` (from one clock to another).
function shifted(token: StoredToken, ms: number): StoredToken {
  if (ms === 0) return token;
  const copy: StoredToken = {
    ...token,
    expiresAt: token.expiresAt + ms,
    issuedAt: token.issuedAt + ms,
  };
  if (token.refreshAt !== undefined) copy.refreshAt = token.refreshAt + ms;
  if (token.unresolved !== undefined) {
    copy.unresolved = token.unresolved.map((e) => ({
      ...e,
      startedAt: e.startedAt + ms,
      until: e.until + ms,
      ...(e.endedAt === undefined ? {} : { endedAt: e.endedAt + ms }),
    }));
  }
  return copy;
}

/** Wraps one store under one key. */
export class StoreGate {
  readonly #store: TokenStore;
  readonly #key: string;
  readonly #s: Settings;
  readonly #warn: (warning: TokenManagerWarning) => void;
  #degraded = false;
  #storeOffset: number | undefined;
  #storeOffsetAt = 0;
  #skewWarned = false;
  readonly #owner: StoreOwner | undefined;
  #foreignWarned = false;

  constructor(
    store: TokenStore,
    key: string,
    settings: Settings,
    warn: (warning: TokenManagerWarning) => void,
    owner?: StoreOwner,
  ) {
    this.#store = store;
    this.#key = key;
    this.#s = settings;
    this.#warn = warn;
    this.#owner = owner;
  }

  /** The store key (safe to show: it names the strategy and channel). */
  get key(): string {
    return this.#key;
  }

  /** Whether the last store call failed. */
  get degraded(): boolean {
    return this.#degraded;
  }

  /** Whether the store takes part in the "who issues next" protocol. */
  get canLock(): boolean {
    return typeof this.#store.acquireLock === 'function';
  }

  /** The stored token, its times on this manager's clock; a value that is not a token counts as none. */
  async get(): Promise<StoredToken | undefined> {
    this.#checkSkew(
      this.#s.wallNow() - this.#s.now(),
      'the system clock moved by',
      ' since the manager started; the manager keeps time on a monotonic clock, so tokens still expire when LINE says',
    );
    const value = await this.#call(() => this.#store.get(this.#key));
    if (!isStoredToken(value) || this.#isForeign(value)) return undefined;
    return shifted(value, -(await this.#offset()));
  }

  /** Stores `token` (times on this manager's clock) until it expires. */
  async set(token: StoredToken): Promise<void> {
    const ttlMs = Math.max(1, Math.ceil(token.expiresAt - this.#s.now()));
    const offset = await this.#offset();
    await this.#call(() => this.#store.set(this.#key, shifted(token, offset), ttlMs));
  }

  /** The store key of the ledger of unresolved issues, beside the token's. */
  get ledgerKey(): string {
    return `${this.#key}:unresolved`;
  }

  /**
   * The fleet's unresolved v2.1 issues (see {@link UnresolvedIssue}), times on this
   * manager's clock; none when the store has no ledger or holds something else there.
   */
  async getUnresolved(): Promise<UnresolvedIssue[]> {
    const value = await this.#call(() => this.#store.get(this.ledgerKey));
    if (!isStoredToken(value) || value.type !== LEDGER_TYPE) return [];
    // Another channel's ledger under our key (a storeKey given twice): not ours to count.
    const channelId = this.#owner?.channelId;
    if (value.channelId !== undefined && channelId !== undefined && value.channelId !== channelId) {
      return [];
    }
    return shifted(value, -(await this.#offset())).unresolved ?? [];
  }

  /** Replaces the ledger with `entries` (times on this manager's clock), kept until the last expires. */
  async setUnresolved(entries: readonly UnresolvedIssue[]): Promise<void> {
    const now = this.#s.now();
    if (entries.length === 0) {
      await this.#call(() => this.#store.delete(this.ledgerKey));
      return;
    }
    const until = Math.max(...entries.map((e) => e.until));
    const record: StoredToken = {
      accessToken: LEDGER_TYPE,
      type: LEDGER_TYPE,
      issuedAt: now,
      expiresAt: until,
      unresolved: entries.map((e) => ({ ...e })),
      ...(this.#owner?.channelId === undefined ? {} : { channelId: this.#owner.channelId }),
    };
    const offset = await this.#offset();
    const ttlMs = Math.max(1, Math.ceil(until - now));
    await this.#call(() => this.#store.set(this.ledgerKey, shifted(record, offset), ttlMs));
  }

  /**
   * Store time minus this manager's time, ms. The store's own clock when it has one
   * (measured now and then), else the system clock: stored times are what other
   * processes read, so they must be on a clock they share.
   */
  async #offset(): Promise<number> {
    const local = this.#s.now();
    const drift = this.#s.wallNow() - local;
    // Without a store clock, stored times are the system clock's: what other processes read.
    if (typeof this.#store.now !== 'function') return drift;
    if (this.#storeOffset === undefined || local - this.#storeOffsetAt > OFFSET_REFRESH_MS) {
      let storeNow: number;
      try {
        storeNow = await this.#call(() => this.#store.now!());
      } catch {
        return this.#storeOffset ?? 0;
      }
      if (!Number.isFinite(storeNow)) return this.#storeOffset ?? 0;
      this.#storeOffset = storeNow - this.#s.now();
      this.#storeOffsetAt = local;
      this.#checkSkew(
        storeNow - this.#s.wallNow(),
        "this machine's clock differs from the store's by",
        "; stored token times are read and written on the store's clock",
      );
    }
    return this.#storeOffset;
  }

  /**
   * A record of another channel or family under our key (two managers given one
   * `storeKey`, a value copied between keys): never served, reported once.
   */
  #isForeign(value: StoredToken): boolean {
    const owner = this.#owner;
    if (owner === undefined) return false;
    const foreign =
      value.type !== owner.type ||
      (value.channelId !== undefined && value.channelId !== owner.channelId);
    if (foreign && !this.#foreignWarned) {
      this.#foreignWarned = true;
      this.#warn({
        code: 'FOREIGN_RECORD',
        message: `the store holds a token of another channel or token type under "${this.#key}"; it is never used (give each channel and type its own storeKey)`,
      });
    }
    return foreign;
  }

  #checkSkew(ms: number, what: string, then: string): void {
    if (this.#skewWarned || Math.abs(ms) < CLOCK_SKEW_WARN_MS) return;
    this.#skewWarned = true;
    this.#warn({
      code: 'CLOCK_SKEW',
      message: `${what} ${(Math.abs(ms) / 1000).toFixed(1)} s${then}`,
    });
  }

  /** Tries once to take the lock. */
  lock(): Promise<TokenLock | undefined> {
    return this.#call(() => this.#store.acquireLock!(this.#key, this.#s.lock.ttlMs));
  }

  /** Releases `lock`; a failure only delays the others until the lock's TTL. */
  async release(lock: TokenLock): Promise<void> {
    try {
      await this.#call(() => lock.release());
    } catch (err) {
      this.down(err);
    }
  }

  /** Waits up to `ms` for the holder's write: the store's notification if it has one, else a sleep. */
  async wait(ms: number): Promise<void> {
    const waitForChange = this.#store.waitForChange;
    if (typeof waitForChange !== 'function') {
      await sleep(ms, undefined, this.#s.timers);
      return;
    }
    await withTimeout(
      waitForChange.call(this.#store, this.#key, ms),
      ms + this.#s.storeTimeoutMs,
      () => new StoreDown(new TokenStoreError('waitForChange outlived its own timeout')),
    ).catch((err: unknown) => {
      throw err instanceof StoreDown ? err : new StoreDown(err);
    });
  }

  /** Records a store failure; says so once per outage. */
  down(cause: unknown): void {
    if (this.#degraded) return;
    this.#degraded = true;
    this.#warn({
      code: 'STORE_DEGRADED',
      message:
        'the token store failed; this process works on its own token until the store answers again',
      cause: cause instanceof StoreDown ? cause.cause : cause,
    });
  }

  /** Records a store success; says so once if it had failed. */
  up(): void {
    if (!this.#degraded) return;
    this.#degraded = false;
    this.#warn({ code: 'STORE_RECOVERED', message: 'the token store answers again' });
  }

  #call<T>(run: () => Promise<T>): Promise<T> {
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(run());
    } catch (err) {
      return Promise.reject(new StoreDown(err));
    }
    return withTimeout(
      pending,
      this.#s.storeTimeoutMs,
      () =>
        new StoreDown(
          new TokenStoreError(`the store did not answer within ${this.#s.storeTimeoutMs} ms`),
        ),
    ).catch((err: unknown) => {
      throw err instanceof StoreDown ? err : new StoreDown(err);
    });
  }
}
