// A store in front of a MemoryTokenStore that a test switches off (as Redis going down
// would), makes refuse writes, or makes hang.
import { TokenStoreError } from '../../../src/errors.js';
import type { MemoryTokenStore } from '../../../src/manager/memory-store.js';
import type { StoredToken, TokenLock, TokenStore } from '../../../src/manager/store.js';

/** A shared store that can be switched off, as Redis going down would. */
export class FlakyStore implements TokenStore {
  down = false;
  failWrites = false;
  hang = false;
  readonly #inner: MemoryTokenStore;
  constructor(inner: MemoryTokenStore) {
    this.#inner = inner;
  }
  #check(write = false): Promise<void> {
    if (this.hang) return new Promise(() => {});
    if (this.down || (write && this.failWrites))
      return Promise.reject(new TokenStoreError('store down'));
    return Promise.resolve();
  }
  async get(key: string): Promise<StoredToken | undefined> {
    await this.#check();
    return this.#inner.get(key);
  }
  async set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    await this.#check(true);
    return this.#inner.set(key, token, ttlMs);
  }
  async delete(key: string): Promise<void> {
    await this.#check(true);
    return this.#inner.delete(key);
  }
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    await this.#check();
    return this.#inner.acquireLock(key, ttlMs);
  }
  waitForChange(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#inner.waitForChange(key, timeoutMs, signal);
  }
}
