/**
 * Options of {@link DenoKvTokenStore} and their defaults.
 *
 * @module
 */
import type { DenoKvLike } from './types.js';

/** Default first key part: values under `['line-token', key, 'value']`. */
export const DEFAULT_DENO_KV_PREFIX = 'line-token';

/**
 * Default interval of `waitForChange`'s polling, in milliseconds. Deno KV's `watch` does
 * not see writes made by another process on a local KV file, so the store polls (two
 * key reads) instead.
 */
export const DEFAULT_DENO_KV_POLL_INTERVAL_MS = 100;

/**
 * Default time a call retries while a local KV file is locked by another process
 * ("database is locked"), in milliseconds. Under the manager's `storeTimeoutMs` (5 s), so a
 * really stuck file still degrades to the process's own token instead of stalling.
 */
export const DEFAULT_DENO_KV_BUSY_TIMEOUT_MS = 2_000;

/** Options of {@link DenoKvTokenStore}. */
export interface DenoKvTokenStoreOptions {
  /** Your KV handle, from `await Deno.openKv()` (a path for a local file, none on Deno Deploy). The store never closes it. */
  kv: DenoKvLike;
  /**
   * First part of every key.
   *
   * @defaultValue `'line-token'`
   */
  prefix?: string;
  /**
   * Seals stored tokens with AES-256-GCM under this 32-byte key (raw bytes, or base64
   * text such as `openssl rand -base64 32`), so the KV database holds no usable bearer
   * token. Every process needs the same key. Default: none (plain JSON).
   *
   * @defaultValue none (tokens stored as plain JSON)
   */
  encryptionKey?: Uint8Array | string;
  /**
   * Polling interval of `waitForChange`, in milliseconds.
   *
   * @defaultValue 100
   */
  pollIntervalMs?: number;
  /**
   * How long a call retries while another process holds a local KV file's write lock, in milliseconds.
   *
   * @defaultValue 2000
   */
  busyTimeoutMs?: number;
}
