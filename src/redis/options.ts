/**
 * Options of {@link RedisTokenStore}, their defaults, and the one place they are checked.
 *
 * @module
 */
import { quietCallback } from '../internal/safe-callback.js';
import { encryptionKeyBytes, prefixOption, storeOptions } from '../internal/store-options.js';
import {
  booleanOption,
  durationOption,
  functionOption,
  invalidOption,
} from '../internal/validate.js';
import { isSupportedClient } from './internal/adapter.js';
import type { RedisClient } from './types.js';

/** Default key prefix: values live under `line-token:<key>`. */
export const DEFAULT_REDIS_PREFIX = 'line-token';

/**
 * Default time a single Redis command may take before the store gives up with a
 * `TokenStoreError`, in milliseconds. Clients such as `ioredis` queue commands while
 * disconnected and retry them for a long time; without this bound a Redis outage would
 * stall `getToken()` instead of letting the manager fall back to its own token.
 */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 2_000;

/**
 * Default interval of the polling that backs up pub/sub in `waitForChange`, in
 * milliseconds. Pub/sub messages sent while a subscriber reconnects are lost; the poll
 * catches those.
 */
export const DEFAULT_REDIS_POLL_INTERVAL_MS = 250;

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

const REDIS_KEYS = [
  'client',
  'prefix',
  'encryptionKey',
  'commandTimeoutMs',
  'pollIntervalMs',
  'subscribe',
  'serverClock',
  'onWarning',
];

/** Checks the options once, at construction. */
export function normalizeRedisOptions(options: RedisTokenStoreOptions): NormalizedRedisOptions {
  const o = storeOptions('RedisTokenStore', options, REDIS_KEYS);
  const client = o['client'];
  if (!isSupportedClient(client)) {
    invalidOption(
      'client',
      'an ioredis `Redis` or `Cluster`, or a node-redis v5 client from `createClient()` or `createCluster()`',
      client,
    );
  }
  return {
    client,
    prefix: prefixOption(o['prefix'], DEFAULT_REDIS_PREFIX, true),
    encryptionKey: encryptionKeyBytes(o['encryptionKey']),
    commandTimeoutMs: durationOption(
      'commandTimeoutMs',
      o['commandTimeoutMs'],
      DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
    ),
    pollIntervalMs: durationOption(
      'pollIntervalMs',
      o['pollIntervalMs'],
      DEFAULT_REDIS_POLL_INTERVAL_MS,
    ),
    subscribe: booleanOption('subscribe', o['subscribe'], true),
    serverClock: booleanOption('serverClock', o['serverClock'], true),
    // A warning hook that throws or rejects has no one left to tell (see safe-callback.ts).
    onWarning: quietCallback(functionOption('onWarning', o['onWarning'], () => {})),
  };
}
