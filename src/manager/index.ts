/**
 * The token manager, part of the portable core: {@link TokenManager}, its options and
 * defaults, the in-memory store and the store contract, {@link authorizedFetch},
 * {@link managedClient} for SDK clients, and {@link TokenManagerRegistry} for many
 * channels. The file store has its own subpath, `line-token/file-store` (it needs `node:fs`).
 *
 * @module
 */
export { TokenManager, type GetTokenOptions, type InvalidateOptions } from './manager.js';
export { MemoryTokenStore, type MemoryTokenStoreOptions } from './memory-store.js';
export * from './defaults.js';
export type * from './types.js';
export type * from './options.js';
export type * from './option-groups.js';
export * from './store.js';
export { authorizedFetch, type AuthorizedFetchOptions } from './authorized-fetch.js';
export {
  isUnauthorizedError,
  managedClient,
  type ManagedClient,
  type ManagedClientOptions,
} from './managed-client.js';
export {
  TokenManagerRegistry,
  type CredentialsLoader,
  type TokenManagerRegistryStatus,
  type TokenManagerDefaults,
  type TokenManagerRegistryOptions,
} from './registry.js';
