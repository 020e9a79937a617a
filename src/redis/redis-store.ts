/**
 * A {@link TokenStore} on Redis, so a fleet of processes shares one token and agrees on
 * who issues the next one.
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
import { adapterFor, type RedisAdapter } from './internal/adapter.js';
import { runCommand } from './internal/command.js';
import { ValueCodec } from '../internal/value-codec.js';
import { waitForChange } from '../internal/wait-for-change.js';
import { ChangeNotifier } from './internal/notifier.js';
import {
  normalizeRedisOptions,
  type NormalizedRedisOptions,
  type RedisTokenStoreOptions,
} from './options.js';

// Names the store in the messages of its calls' argument checks.
const STORE = 'RedisTokenStore';

// Announce a change on the entry's channel: sharded pub/sub (Redis 7+) stays on the node
// that owns the slot, which is what a cluster needs; a server without it gets PUBLISH.
const NOTIFY = `local function notify(channel, message)
  local sent = redis.pcall('SPUBLISH', channel, message)
  if type(sent) == 'table' and sent.err then redis.call('PUBLISH', channel, message) end
end
`;
// Write and announce in one round trip and atomically, so a waiter woken by the message
// always reads the new value. The channel is named like the key (channels and keys are
// separate namespaces in Redis) and so hashes to the same cluster slot.
const SET_AND_PUBLISH = `${NOTIFY}redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
notify(KEYS[1], 'set')
return 1`;
const DELETE_AND_PUBLISH = `${NOTIFY}local n = redis.call('DEL', KEYS[1])
notify(KEYS[1], 'delete')
return n`;
// Compare-and-delete: a holder whose lock already expired (and was taken by another
// process) must not delete the new holder's lock. Waiters are woken so they retry at once.
const RELEASE_LOCK = `${NOTIFY}if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  notify(ARGV[2], 'unlocked')
  return 1
end
return 0`;

/** The reply of GET, or `null` when the key is missing. */
type RawValue = string | null;

/**
 * Keeps tokens in Redis under `<prefix>:{<key>}` with a TTL equal to the token's remaining
 * life, and offers the manager a lock (`SET NX PX` with a random owner value, released by
 * compare-and-delete, expiring by itself if the holder crashes) plus `waitForChange`
 * (sharded pub/sub where the server has it, backed by polling). The `{<key>}` hash tag
 * keeps an entry's value, lock and channel in one Redis Cluster slot. Works with `ioredis`
 * (`Redis`, `Cluster`) and node-redis v5 (`createClient`, `createCluster`). Optionally
 * seals values with AES-256-GCM. Every failure is a `TokenStoreError`, so the manager can
 * fall back to its own in-memory token.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { TokenManager } from 'line-token';
 * import { RedisTokenStore } from 'line-token/redis';
 *
 * const store = new RedisTokenStore({
 *   client: new Redis(process.env.REDIS_URL!),
 *   encryptionKey: process.env.TOKEN_STORE_KEY, // 32 bytes, base64
 * });
 * const manager = new TokenManager({ strategy, store });
 * ```
 */
export class RedisTokenStore implements TokenStore {
  readonly #options: NormalizedRedisOptions;
  readonly #adapter: RedisAdapter;
  /**
   * Redis's own clock (`TIME`), epoch ms; absent with `serverClock: false`. A fleet's managers
   * write and read token times on this one clock, so machines whose clocks differ still agree
   * on when a token expires; the manager asks now and then, never on the `getToken()` path.
   */
  readonly now?: () => Promise<number>;
  readonly #codec: ValueCodec;
  readonly #notifier: ChangeNotifier;
  // The raw value this store last read or wrote per key: the baseline `waitForChange`
  // compares against, so a write that lands between the caller's `get` and our
  // subscription is not missed.
  readonly #lastSeen = new Map<string, RawValue>();

  constructor(options: RedisTokenStoreOptions) {
    this.#options = normalizeRedisOptions(options);
    this.#adapter = adapterFor(this.#options.client);
    if (this.#options.serverClock) this.now = () => this.#serverTime();
    this.#codec = new ValueCodec(this.#options.encryptionKey);
    this.#notifier = new ChangeNotifier({
      adapter: this.#adapter,
      enabled: this.#options.subscribe,
      commandTimeoutMs: this.#options.commandTimeoutMs,
      onWarning: this.#options.onWarning,
    });
  }

  /** The key prefix in use. */
  get prefix(): string {
    return this.#options.prefix;
  }

  /** Whether stored values are sealed with AES-256-GCM. */
  get encrypted(): boolean {
    return this.#codec.encrypted;
  }

  /**
   * The stored token under `key`, or `undefined`. Rejects with a `TokenStoreError` when
   * Redis fails or the value cannot be read (corrupt, wrong `encryptionKey`, tampered).
   */
  async get(key: string): Promise<StoredToken | undefined> {
    const redisKey = this.#valueKey(key);
    const raw = await this.#readRaw(redisKey);
    this.#lastSeen.set(redisKey, raw);
    if (raw === null) return undefined;
    return this.#codec.decode(redisKey, raw);
  }

  /**
   * Stores `token` under `key` for `ttlMs` milliseconds (rounded up) and wakes waiters.
   * A `ttlMs` of zero or less deletes the key instead: an expired token is not worth keeping.
   */
  async set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    const redisKey = this.#valueKey(key);
    const ttl = durationArgument(STORE, 'ttlMs', ttlMs);
    if (ttl <= 0) return this.delete(key);
    const value = await this.#codec.encode(redisKey, token);
    await this.#run(
      `store "${redisKey}"`,
      redisKey,
      'EVAL',
      SET_AND_PUBLISH,
      1,
      redisKey,
      value,
      ttl,
    );
    this.#lastSeen.set(redisKey, value);
  }

  /** Removes `key` and wakes waiters. */
  async delete(key: string): Promise<void> {
    const redisKey = this.#valueKey(key);
    await this.#run(`delete "${redisKey}"`, redisKey, 'EVAL', DELETE_AND_PUBLISH, 1, redisKey);
    this.#lastSeen.set(redisKey, null);
  }

  /**
   * Tries once to take the lock for `key` (`<prefix>:{<key>}:lock`), held at most `ttlMs`
   * milliseconds. Resolves `undefined` when another holder has it.
   */
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const redisKey = this.#valueKey(key);
    const lockKey = `${redisKey}:lock`;
    const ttl = lockTtlArgument(STORE, ttlMs);
    // A random owner value makes release safe: only this holder can delete this lock.
    const owner = crypto.randomUUID();
    const reply = await this.#run(
      `lock "${lockKey}"`,
      lockKey,
      'SET',
      lockKey,
      owner,
      'NX',
      'PX',
      ttl,
    );
    if (reply !== 'OK') return undefined;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.#run(
          `release "${lockKey}"`,
          lockKey,
          'EVAL',
          RELEASE_LOCK,
          1,
          lockKey,
          owner,
          redisKey,
        );
      },
    };
  }

  /**
   * Resolves when the value under `key` may have changed (a pub/sub message, a released
   * lock, or a poll that sees a new value), after `timeoutMs`, or on `signal`. Never
   * rejects: a Redis failure during the wait resolves it early, so the caller's next
   * `get` reports the error.
   */
  async waitForChange(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const redisKey = this.#valueKey(key);
    const timeout = waitTimeoutArgument(STORE, timeoutMs);
    if (timeout <= 0 || signal?.aborted) return;
    let baseline: RawValue;
    if (this.#lastSeen.has(redisKey)) {
      baseline = this.#lastSeen.get(redisKey) ?? null;
    } else {
      try {
        baseline = await this.#readRaw(redisKey);
      } catch {
        return; // Redis failed: let the caller's next get() report it.
      }
    }
    await waitForChange({
      timeoutMs: timeout,
      signal,
      pollIntervalMs: this.#options.pollIntervalMs,
      changed: () => this.#readRaw(redisKey).then((raw) => raw !== baseline),
      listen: (wake) => this.#notifier.listen(redisKey, wake),
      // Once subscribed, look once more: the write may have landed before the subscription.
      ready: () => this.#notifier.ready(redisKey),
    });
  }

  /** Closes the store's own pub/sub connection and wakes waiters. Your client stays open. */
  async close(): Promise<void> {
    await this.#notifier.close();
  }

  /** The entry's value key, which also names its channel; the lock key appends `:lock`. */
  #valueKey(key: string): string {
    return `${this.#options.prefix}:{${storeKeyArgument(STORE, key, true)}}`;
  }

  async #readRaw(redisKey: string): Promise<RawValue> {
    const raw = await this.#run(`read "${redisKey}"`, redisKey, 'GET', redisKey);
    if (raw === null || typeof raw === 'string') return raw;
    // ioredis answers Buffers only to *Buffer commands; anything else is a foreign client.
    if (raw instanceof Uint8Array) return new TextDecoder().decode(raw);
    return String(raw);
  }

  /** `TIME` as epoch ms; in a cluster, the node that owns this store's keys answers. */
  async #serverTime(): Promise<number> {
    const key = this.#valueKey('clock');
    const reply = await this.#run('read the Redis clock', key, 'TIME');
    const [seconds, micros] = Array.isArray(reply) ? reply.map((part) => Number(String(part))) : [];
    if (!Number.isFinite(seconds) || !Number.isFinite(micros)) {
      throw new TokenStoreError(
        'Redis answered TIME with something other than [seconds, microseconds]',
      );
    }
    return seconds! * 1000 + Math.floor(micros! / 1000);
  }

  #run(what: string, key: string, ...args: (string | number)[]): Promise<unknown> {
    return runCommand(this.#adapter, this.#options.commandTimeoutMs, what, key, args);
  }
}
