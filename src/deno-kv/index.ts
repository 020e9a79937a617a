/**
 * `line-token/deno-kv`: a token store on Deno KV for several Deno processes (or Deno
 * Deploy isolates) that share one channel's token. Uses only Deno's KV API and WebCrypto;
 * run Deno with `--unstable-kv`.
 *
 * @module
 */
export {
  DEFAULT_DENO_KV_BUSY_TIMEOUT_MS,
  DEFAULT_DENO_KV_POLL_INTERVAL_MS,
  DEFAULT_DENO_KV_PREFIX,
  DenoKvTokenStore,
  type DenoKvTokenStoreOptions,
} from './kv-store.js';
export type { DenoKvLike, KvAtomicLike, KvEntryLike, KvKeyLike } from './types.js';
