/**
 * A {@link TokenStore} on Deno KV, so several Deno processes (or Deno Deploy isolates)
 * share one token and agree on who issues the next one.
 *
 * @module
 */
import { TokenStoreError } from '../errors.js';
import {
  durationArgument,
  lockTtlArgument,
  storeKeyArgument,
  waitTimeoutArgument,
} from '../internal/store-options.js';
import type { StoredToken, TokenLock, TokenStore } from '../manager/store.js';
import { ValueCodec } from '../internal/value-codec.js';
import { waitForChange } from '../internal/wait-for-change.js';
import { readDenoKvOptions, type DenoKvTokenStoreOptions } from './options.js';
import type { DenoKvLike, KvEntryLike, KvKeyLike } from './types.js';

// Names the store in its messages.
const STORE = 'DenoKvTokenStore';

interface ValueRecord {
  value: string;
  /** Epoch ms after which the record is gone; KV's `expireIn` deletes only eventually. */
  deadline: number;
}

interface LockRecord {
  owner: string;
  deadline: number;
}

function isBusy(err: unknown): boolean {
  return /database is locked|database table is locked|SQLITE_BUSY/i.test(
    String((err as Error)?.message ?? err),
  );
}

function isRecord(value: unknown): value is { deadline: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { deadline?: unknown }).deadline === 'number'
  );
}

/**
 * Keeps tokens in Deno KV under `[prefix, key, 'value']` with the token's remaining life as
 * `expireIn`, and offers the manager a lock under `[prefix, key, 'lock']` taken with an
 * atomic check-and-set on the lock's versionstamp (so two processes can never both take
 * it), released by a checked delete, and free once its deadline passes if the holder
 * crashed. Optionally seals values with AES-256-GCM like the Redis store. Every failure
 * is a `TokenStoreError`, so the manager can fall back to its own token.
 *
 * Run Deno with `--unstable-kv` (Deno 2.9 still asks for it); a local file also needs
 * `--allow-read` and `--allow-write` on it.
 *
 * @example
 * ```ts
 * const store = new DenoKvTokenStore({ kv: await Deno.openKv('/var/lib/bot/kv.sqlite3') });
 * const manager = new TokenManager({ strategy, store });
 * ```
 */
export class DenoKvTokenStore implements TokenStore {
  readonly #kv: DenoKvLike;
  readonly #prefix: string;
  readonly #pollIntervalMs: number;
  readonly #busyTimeoutMs: number;
  readonly #codec: ValueCodec;
  // Versionstamps this store last saw per key (value, lock): the baseline `waitForChange`
  // compares against, so a write between the caller's read and the wait is not missed.
  readonly #seen = new Map<string, [string | null, string | null]>();

  constructor(options: DenoKvTokenStoreOptions) {
    const o = readDenoKvOptions(options);
    this.#kv = o.kv;
    this.#prefix = o.prefix;
    this.#pollIntervalMs = o.pollIntervalMs;
    this.#busyTimeoutMs = o.busyTimeoutMs;
    this.#codec = new ValueCodec(o.encryptionKey);
  }

  /** Whether stored values are sealed with AES-256-GCM. */
  get encrypted(): boolean {
    return this.#codec.encrypted;
  }

  /**
   * The stored token under `key`, or `undefined`. Rejects with a `TokenStoreError` when KV
   * fails or the value cannot be read (corrupt, wrong `encryptionKey`, tampered).
   */
  async get(key: string): Promise<StoredToken | undefined> {
    const k = this.#keys(key);
    const entry = await this.#run(`read "${k.name}"`, () => this.#kv.get(k.value));
    this.#see(k.name, 0, entry.versionstamp);
    const record = entry.value;
    if (record === null || record === undefined) return undefined;
    if (!isRecord(record) || typeof (record as Partial<ValueRecord>).value !== 'string') {
      throw new TokenStoreError(
        `the value under "${k.name}" is not a stored token: corrupt or written by something else`,
      );
    }
    if (Date.now() >= record.deadline) return undefined;
    return this.#codec.decode(k.name, (record as ValueRecord).value);
  }

  /** Stores `token` under `key` for `ttlMs` milliseconds; zero or less deletes it. */
  async set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    const k = this.#keys(key);
    const ttl = durationArgument(STORE, 'ttlMs', ttlMs);
    if (ttl <= 0) return this.delete(key);
    const record: ValueRecord = {
      value: await this.#codec.encode(k.name, token),
      deadline: Date.now() + ttl,
    };
    const result = await this.#run(`store "${k.name}"`, () =>
      this.#kv.set(k.value, record, { expireIn: ttl }),
    );
    this.#see(k.name, 0, result.versionstamp);
  }

  /** Removes `key`. */
  async delete(key: string): Promise<void> {
    const k = this.#keys(key);
    await this.#run(`delete "${k.name}"`, () => this.#kv.delete(k.value));
    this.#see(k.name, 0, null);
  }

  /** Tries once to take the lock for `key`, held at most `ttlMs`; `undefined` when another holder has it. */
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const k = this.#keys(key);
    const ttl = lockTtlArgument(STORE, ttlMs);
    const current = await this.#run(`lock "${k.name}"`, () => this.#kv.get(k.lock));
    this.#see(k.name, 1, current.versionstamp);
    if (isRecord(current.value) && Date.now() < current.value.deadline) return undefined;
    // A random owner makes release safe: only this holder can free this lock.
    const lock: LockRecord = { owner: crypto.randomUUID(), deadline: Date.now() + ttl };
    // Check-and-set on the versionstamp just read: if anyone took (or freed) the lock
    // since, the commit fails and this attempt simply did not get it.
    const result = await this.#run(`lock "${k.name}"`, () =>
      this.#kv
        .atomic()
        .check({ key: k.lock, versionstamp: current.versionstamp })
        .set(k.lock, lock, { expireIn: ttl })
        .commit(),
    );
    if (!result.ok) return undefined;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        const held = await this.#run(`release "${k.name}"`, () => this.#kv.get(k.lock));
        if (!isRecord(held.value) || (held.value as Partial<LockRecord>).owner !== lock.owner)
          return;
        // A checked delete: a holder whose lock expired and was taken since frees nothing.
        await this.#run(`release "${k.name}"`, () =>
          this.#kv
            .atomic()
            .check({ key: k.lock, versionstamp: held.versionstamp })
            .delete(k.lock)
            .commit(),
        );
      },
    };
  }

  /**
   * Resolves when the value or the lock under `key` changed since this store last looked
   * (polled every `pollIntervalMs`), after `timeoutMs`, or on `signal`. Never rejects: a
   * KV failure resolves it early, so the caller's next `get` reports the error.
   */
  async waitForChange(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const k = this.#keys(key);
    const timeout = waitTimeoutArgument(STORE, timeoutMs);
    if (timeout <= 0 || signal?.aborted) return;
    let baseline = this.#seen.get(k.name);
    if (baseline === undefined) {
      try {
        baseline = await this.#stamps(k);
      } catch {
        return;
      }
    }
    const [value, lock] = baseline;
    await waitForChange({
      timeoutMs: timeout,
      signal,
      pollIntervalMs: this.#pollIntervalMs,
      changed: () => this.#stamps(k).then((now) => now[0] !== value || now[1] !== lock),
    });
  }

  #keys(key: string): { name: string; value: KvKeyLike; lock: KvKeyLike } {
    storeKeyArgument(STORE, key);
    return {
      name: `${this.#prefix}:${key}`,
      value: [this.#prefix, key, 'value'],
      lock: [this.#prefix, key, 'lock'],
    };
  }

  async #stamps(k: {
    name: string;
    value: KvKeyLike;
    lock: KvKeyLike;
  }): Promise<[string | null, string | null]> {
    const [value, lock] = await this.#run(`read "${k.name}"`, () =>
      this.#kv.getMany([k.value, k.lock]),
    );
    return [(value as KvEntryLike).versionstamp, (lock as KvEntryLike).versionstamp];
  }

  #see(name: string, index: 0 | 1, versionstamp: string | null): void {
    const stamps = this.#seen.get(name) ?? [null, null];
    stamps[index] = versionstamp;
    this.#seen.set(name, stamps);
  }

  async #run<T>(what: string, call: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.#busyTimeoutMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        return await call();
      } catch (cause) {
        // A local KV file is SQLite: when another process holds its write lock, Deno
        // answers "database is locked" at once instead of waiting. That is contention,
        // not failure; wait a little and try again, as SQLite's own busy handler would.
        if (isBusy(cause) && Date.now() + delay < deadline) {
          await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
          continue;
        }
        throw new TokenStoreError(`Deno KV failed to ${what}`, { cause });
      }
    }
  }
}
