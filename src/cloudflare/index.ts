/**
 * `line-token/cloudflare`: a token store for Cloudflare Workers fleets. Export
 * {@link LineTokenDurableObject} from your Worker, bind it as a Durable Object namespace,
 * and give every manager a {@link DurableObjectTokenStore} on that binding: every isolate
 * then shares one token, and one issue happens per rotation. Uses only Workers APIs
 * (`fetch`, WebCrypto); no `nodejs_compat` needed.
 *
 * @module line-token/cloudflare
 */
export { LineTokenDurableObject, type DurableObjectStateLike } from './durable-object.js';
export {
  DURABLE_OBJECT_TOKEN_STORE_DEFAULTS,
  DurableObjectTokenStore,
  type DurableObjectNamespaceLike,
  type DurableObjectTokenStoreOptions,
  type DurableObjectStubLike,
} from './store.js';
