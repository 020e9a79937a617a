/**
 * Options of {@link RedisTokenStore}, their defaults, and the one place they are checked.
 *
 * @module
 */
import {
  boolean,
  custom,
  defaultsOf,
  duration,
  fn,
  readOptions,
  type OptionsSpec,
} from '../internal/options-spec.js';
import { quietCallback } from '../internal/safe-callback.js';
import { encryptionKeyReader, prefixReader } from '../internal/store-options.js';
import { invalidOption } from '../internal/validate.js';
import { isSupportedClient } from './internal/adapter.js';
import type { RedisClient } from './types.js';

/** Options of {@link RedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /**
   * Your Redis connection: an `ioredis` `Redis` or `Cluster`, or a connected node-redis v5
   * client from `createClient()` or `createCluster()`; the store tells them apart by their
   * methods. The store never closes it; its own pub/sub side (a `duplicate()`, or
   * listeners on a node-redis cluster's sharded pub/sub) is closed by `store.close()`.
   */
  client: RedisClient;
  /**
   * Namespace of every key: values under `<prefix>:{<key>}`, locks under
   * `<prefix>:{<key>}:lock`; the braces are a Redis Cluster hash tag that keeps one key's
   * value, lock and notifications in one slot. Default `line-token`.
   *
   * @defaultValue `'line-token'`
   */
  prefix?: string;
  /**
   * Seals stored tokens with AES-256-GCM under this 32-byte key (raw bytes, or base64
   * text such as the output of `openssl rand -base64 32`), so a Redis dump holds no
   * usable bearer token. Every process of the fleet needs the same key. Default: none
   * (tokens stored as plain JSON).
   *
   * @defaultValue none (tokens stored as plain JSON)
   */
  encryptionKey?: Uint8Array | string;
  /**
   * Longest wait for one Redis command, in milliseconds.
   *
   * @defaultValue 2000
   */
  commandTimeoutMs?: number;
  /**
   * Polling interval backing up pub/sub in `waitForChange`, in milliseconds.
   *
   * @defaultValue 250
   */
  pollIntervalMs?: number;
  /**
   * Use pub/sub (a duplicated connection) to wake waiters.
   *
   * @defaultValue true (`false` polls only)
   */
  subscribe?: boolean;
  /**
   * Give the managers Redis's clock (`TIME`) as the store's `now()`, so a fleet agrees on
   * when a token expires whatever its machines' clocks say. Default `true`; `false` when
   * the managers run on an injected clock of their own (tests on a virtual clock), which
   * Redis's clock would not follow.
   *
   * @defaultValue true
   */
  serverClock?: boolean;
  /**
   * Told about degraded pub/sub and similar non-fatal trouble. Never receives a token.
   *
   * @defaultValue none
   */
  onWarning?: (message: string) => void;
}

/** The checked, normalized options. */
export interface NormalizedRedisOptions {
  client: RedisClient;
  prefix: string;
  encryptionKey: Uint8Array<ArrayBuffer> | undefined;
  commandTimeoutMs: number;
  pollIntervalMs: number;
  subscribe: boolean;
  serverClock: boolean;
  onWarning: (message: string) => void;
}

/** The reader of each option (see internal/options-spec.ts); internal. */
export const REDIS_SPEC = {
  client: custom((client, path): RedisClient => {
    if (!isSupportedClient(client)) {
      invalidOption(
        path,
        'an ioredis `Redis` or `Cluster`, or a node-redis v5 client from `createClient()` or `createCluster()`',
        client,
      );
    }
    return client;
  }),
  prefix: prefixReader('line-token', true),
  encryptionKey: encryptionKeyReader(),
  // Clients such as `ioredis` queue commands while disconnected and retry them for a long
  // time; without this bound a Redis outage would stall `getToken()` instead of letting the
  // manager fall back to its own token.
  commandTimeoutMs: duration(2_000),
  // Pub/sub messages sent while a subscriber reconnects are lost; the poll catches those.
  pollIntervalMs: duration(250),
  subscribe: boolean(true),
  serverClock: boolean(true),
  onWarning: fn<(message: string) => void>(() => {}),
} satisfies OptionsSpec<RedisTokenStoreOptions>;

/**
 * The defaults of {@link RedisTokenStoreOptions}, read-only: the key `prefix`, the longest
 * wait for one command (`commandTimeoutMs`), the polling interval backing up pub/sub
 * (`pollIntervalMs`), and the `subscribe` and `serverClock` switches.
 *
 * @example
 * ```ts
 * new RedisTokenStore({ client, commandTimeoutMs: REDIS_TOKEN_STORE_DEFAULTS.commandTimeoutMs * 2 });
 * ```
 */
export const REDIS_TOKEN_STORE_DEFAULTS: Readonly<
  Required<
    Pick<
      RedisTokenStoreOptions,
      'prefix' | 'commandTimeoutMs' | 'pollIntervalMs' | 'subscribe' | 'serverClock'
    >
  >
> = defaultsOf(REDIS_SPEC);

/** Checks the options once, at construction. */
export function normalizeRedisOptions(options: RedisTokenStoreOptions): NormalizedRedisOptions {
  const o = readOptions(REDIS_SPEC, options, { where: 'RedisTokenStore' });
  // A warning hook that throws or rejects has no one left to tell (see safe-callback.ts).
  return { ...o, onWarning: quietCallback(o.onWarning) };
}
