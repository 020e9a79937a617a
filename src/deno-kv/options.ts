/**
 * Options of {@link DenoKvTokenStore}, their defaults, and the one place they are checked.
 *
 * @module
 */
import {
  custom,
  defaultsOf,
  duration,
  readOptions,
  type OptionsSpec,
  type ReadOptions,
} from '../internal/options-spec.js';
import { encryptionKeyReader, prefixReader } from '../internal/store-options.js';
import { invalidOption } from '../internal/validate.js';
import type { DenoKvLike } from './types.js';

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

/** The reader of each option (see internal/options-spec.ts); internal. */
export const DENO_KV_STORE_SPEC = {
  kv: custom((kv, path): DenoKvLike => {
    const k = kv as Partial<DenoKvLike> | undefined;
    if (typeof k?.get !== 'function' || typeof k.atomic !== 'function') {
      invalidOption(path, 'a Deno.Kv from `await Deno.openKv()` (run Deno with --unstable-kv)', kv);
    }
    return kv as DenoKvLike;
  }),
  // Values under `['line-token', key, 'value']`.
  prefix: prefixReader('line-token'),
  encryptionKey: encryptionKeyReader(),
  // Deno KV's `watch` does not see writes made by another process on a local KV file, so
  // the store polls (two key reads) instead.
  pollIntervalMs: duration(100),
  // Under the manager's `storeTimeoutMs` (5 s), so a really stuck file still degrades to
  // the process's own token instead of stalling.
  busyTimeoutMs: duration(2_000),
} satisfies OptionsSpec<DenoKvTokenStoreOptions>;

/**
 * The defaults of {@link DenoKvTokenStoreOptions}, read-only: the key `prefix`, the
 * polling interval of `waitForChange` (`pollIntervalMs`) and how long a call retries a
 * locked local KV file (`busyTimeoutMs`).
 *
 * @example
 * ```ts
 * new DenoKvTokenStore({ kv, busyTimeoutMs: DENO_KV_TOKEN_STORE_DEFAULTS.busyTimeoutMs * 2 });
 * ```
 */
export const DENO_KV_TOKEN_STORE_DEFAULTS: Readonly<
  Required<Pick<DenoKvTokenStoreOptions, 'prefix' | 'pollIntervalMs' | 'busyTimeoutMs'>>
> = defaultsOf(DENO_KV_STORE_SPEC);

/** Checks the options once, at construction. */
export function readDenoKvOptions(
  options: DenoKvTokenStoreOptions,
): ReadOptions<typeof DENO_KV_STORE_SPEC> {
  return readOptions(DENO_KV_STORE_SPEC, options, { where: 'DenoKvTokenStore' });
}
