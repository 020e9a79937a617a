/**
 * The default token store: a `Map` in this process. It also implements the optional lock
 * and change notification of {@link TokenStore}, so several managers in one process can
 * share one store exactly the way a fleet shares Redis.
 *
 * @module
 */
import {
  lockTtlArgument,
  signalArgument,
  storeKeyArgument,
  waitTimeoutArgument,
} from '../internal/store-options.js';
import { fn, readOptions, type OptionsSpec } from '../internal/options-spec.js';
import { invalidArgument } from '../internal/validate.js';
import { isStoredToken, type StoredToken, type TokenLock, type TokenStore } from './store.js';

/** Options of {@link MemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /**
   * The clock TTLs are measured on, epoch ms.
   *
   * @defaultValue `Date.now`
   */
  now?: () => number;
}

/** The reader of each option (see internal/options-spec.ts); internal. */
export const MEMORY_STORE_SPEC = {
  now: fn<() => number>(Date.now),
} satisfies OptionsSpec<MemoryTokenStoreOptions>;

interface Entry {
  readonly token: StoredToken;
  readonly deadline: number;
}

interface Lock {
  readonly deadline: number;
}

/**
 * Keeps tokens in memory. Values are copied in and out, so a caller mutating what it got
 * cannot change what another reads.
 *
 * @example
 * ```ts
 * const store = new MemoryTokenStore();
 * // Two managers for the same channel, one token between them:
 * const a = new TokenManager({ strategy, store });
 * const b = new TokenManager({ strategy, store });
 * ```
 */
export class MemoryTokenStore implements TokenStore {
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #locks = new Map<string, Lock>();
  readonly #waiters = new Map<string, Set<() => void>>();

  constructor(options: MemoryTokenStoreOptions = {}) {
    this.#now = readOptions(MEMORY_STORE_SPEC, options, { where: 'MemoryTokenStore' }).now;
  }

  /** The store's clock (its `now` option), so managers sharing it agree on time. */
  now(): Promise<number> {
    return Promise.resolve(this.#now());
  }

  /** The token under `key`, or `undefined` when absent or past its TTL. */
  get(key: string): Promise<StoredToken | undefined> {
    const bad = refusal(() => storeKeyArgument(STORE, key));
    if (bad) return bad;
    const entry = this.#entries.get(key);
    if (entry === undefined) return Promise.resolve(undefined);
    if (this.#now() >= entry.deadline) {
      this.#entries.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve({ ...entry.token });
  }

  /** Stores a copy of `token` for `ttlMs` milliseconds and wakes the waiters on `key`. */
  set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    const bad = refusal(() => {
      storeKeyArgument(STORE, key);
      if (!isStoredToken(token)) invalidArgument(STORE, 'token', 'a stored token', token);
      lockTtlArgument(STORE, ttlMs);
    });
    if (bad) return bad;
    this.#entries.set(key, { token: { ...token }, deadline: this.#now() + ttlMs });
    this.#notify(key);
    return Promise.resolve();
  }

  /** Removes `key` and wakes its waiters. */
  delete(key: string): Promise<void> {
    const bad = refusal(() => storeKeyArgument(STORE, key));
    if (bad) return bad;
    this.#entries.delete(key);
    this.#notify(key);
    return Promise.resolve();
  }

  /**
   * Takes the lock on `key` unless another holder's lock is still within its TTL.
   * Releasing wakes the waiters too: if the holder failed, one of them takes over at once.
   */
  acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const bad = refusal(() => {
      storeKeyArgument(STORE, key);
      lockTtlArgument(STORE, ttlMs);
    });
    if (bad) return bad;
    const held = this.#locks.get(key);
    if (held !== undefined && this.#now() < held.deadline) return Promise.resolve(undefined);
    const lock: Lock = { deadline: this.#now() + ttlMs };
    this.#locks.set(key, lock);
    return Promise.resolve({
      release: () => {
        // Only the owner's own lock object is removed: after a TTL expiry someone else may hold it.
        if (this.#locks.get(key) === lock) {
          this.#locks.delete(key);
          this.#notify(key);
        }
        return Promise.resolve();
      },
    });
  }

  /** Resolves on the next `set`, `delete` or lock release of `key`, on `timeoutMs`, or on abort. */
  waitForChange(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    let timeout = 0;
    const bad = refusal(() => {
      storeKeyArgument(STORE, key);
      // Infinity waits (for the longest timer): setTimeout would fire it after 1 ms.
      timeout = waitTimeoutArgument(STORE, timeoutMs);
      signalArgument(STORE, signal);
    });
    if (bad) return bad;
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      let waiters = this.#waiters.get(key);
      if (waiters === undefined) {
        waiters = new Set();
        this.#waiters.set(key, waiters);
      }
      const set = waiters;
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0 && this.#waiters.get(key) === set) this.#waiters.delete(key);
        resolve();
      };
      // Not unref'd: someone awaits this, and an exiting process would strand them.
      const timer = setTimeout(done, Math.max(0, timeout));
      signal?.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  #notify(key: string): void {
    const waiters = this.#waiters.get(key);
    if (waiters === undefined) return;
    for (const wake of [...waiters]) wake();
  }
}

// The store is called by managers with checked values; the checks are for direct calls, so
// a wrong argument is an InvalidArgumentError rather than a TypeError from inside.
const STORE = 'MemoryTokenStore';

/** The rejection a store method answers with when `check` throws, else `undefined`. */
function refusal(check: () => void): Promise<never> | undefined {
  try {
    check();
    return undefined;
  } catch (err) {
    return Promise.reject(err);
  }
}
