/**
 * `line-token/deno-kv`: a token store on Deno KV for several Deno processes (or Deno
 * Deploy isolates) that share one channel's token. Uses only Deno's KV API and WebCrypto;
 * run Deno with `--unstable-kv`.
 *
 * @module line-token/deno-kv
 */
export { DenoKvTokenStore } from './kv-store.js';
export { DENO_KV_TOKEN_STORE_DEFAULTS, type DenoKvTokenStoreOptions } from './options.js';
export type { DenoKvLike, KvAtomicLike, KvEntryLike, KvKeyLike } from './types.js';
