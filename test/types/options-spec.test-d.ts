// The options specs are checked against the public interfaces by the compiler: a property
// added to an options interface without a reader fails `npm run typecheck` (here, an
// interface grown by one key no longer accepts the spec), and so does a reader for a key
// the interface does not have.
import type { ClientOptions, RetryOptions, TokenManagerOptions } from '../../src/index.js';
import type { ManagerRefreshOptions } from '../../src/manager/option-groups.js';
import { duration, type OptionsSpec } from '../../src/internal/options-spec.js';
import { CLIENT_SPEC, RETRY_SPEC } from '../../src/client/internal/spec.js';
import { TOKEN_MANAGER_SPEC } from '../../src/manager/internal/spec.js';
import { REGISTRY_SPEC } from '../../src/manager/registry/options.js';
import { ASSERTION_SPEC } from '../../src/assertion/internal/options.js';
import { REDIS_SPEC } from '../../src/redis/options.js';
import { DENO_KV_STORE_SPEC } from '../../src/deno-kv/options.js';
import { DURABLE_OBJECT_STORE_SPEC } from '../../src/cloudflare/store.js';
import { FILE_STORE_SPEC } from '../../src/manager/stores/file-store-options.js';
import { MEMORY_STORE_SPEC } from '../../src/manager/memory-store.js';
import { AUTHORIZED_FETCH_SPEC } from '../../src/manager/authorized-fetch.js';
import { MANAGED_CLIENT_SPEC } from '../../src/manager/managed-client.js';
import { DIAGNOSE_SPEC } from '../../src/diagnose/diagnose.js';
import { EMULATOR_SPEC } from '../../src/emulator/options.js';
import { INVALIDATE_SPEC } from '../../src/manager/manager.js';
import { optionNames } from '../../src/internal/options-spec.js';
import type { RequestOptions } from '../../src/client/types.js';
import type { InvalidateOptions } from '../../src/manager/manager.js';
import type { AssertionOptions } from '../../src/assertion/options.js';
import type { TokenManagerRegistryOptions } from '../../src/manager/registry/options.js';
import type { RedisTokenStoreOptions } from '../../src/redis/index.js';
import type { DenoKvTokenStoreOptions } from '../../src/deno-kv/index.js';
import type { DurableObjectTokenStoreOptions } from '../../src/cloudflare/index.js';
import type { FileTokenStoreOptions } from '../../src/manager/stores/file-store.js';
import type {
  AuthorizedFetchOptions,
  ManagedClientOptions,
  MemoryTokenStoreOptions,
} from '../../src/manager/index.js';
import type { DiagnoseOptions } from '../../src/diagnose/types.js';
import type { EmulatorOptions } from '../../src/emulator/index.js';

// The real specs cover the real interfaces.
export const manager: OptionsSpec<TokenManagerOptions> = TOKEN_MANAGER_SPEC;
export const client: OptionsSpec<ClientOptions> = CLIENT_SPEC;
export const retry: OptionsSpec<RetryOptions> = RETRY_SPEC;
export const refresh: OptionsSpec<ManagerRefreshOptions> = TOKEN_MANAGER_SPEC.refresh.group;
export const registry: OptionsSpec<TokenManagerRegistryOptions> = REGISTRY_SPEC;
export const assertion: OptionsSpec<AssertionOptions> = ASSERTION_SPEC;
export const redis: OptionsSpec<RedisTokenStoreOptions> = REDIS_SPEC;
export const denoKv: OptionsSpec<DenoKvTokenStoreOptions> = DENO_KV_STORE_SPEC;
export const durableObject: OptionsSpec<DurableObjectTokenStoreOptions> = DURABLE_OBJECT_STORE_SPEC;
export const fileStore: OptionsSpec<FileTokenStoreOptions> = FILE_STORE_SPEC;
export const memoryStore: OptionsSpec<MemoryTokenStoreOptions> = MEMORY_STORE_SPEC;
export const authorizedFetch: OptionsSpec<AuthorizedFetchOptions> = AUTHORIZED_FETCH_SPEC;
export const managedClient: OptionsSpec<ManagedClientOptions<unknown>> = MANAGED_CLIENT_SPEC;
export const diagnose: OptionsSpec<DiagnoseOptions> = DIAGNOSE_SPEC;
export const emulator: OptionsSpec<EmulatorOptions> = EMULATOR_SPEC;
export const invalidate: OptionsSpec<InvalidateOptions> = INVALIDATE_SPEC;

// Key lists read by hand (a hot path, the emulator's fault rules) come from optionNames: a
// record the compiler checks holds every key of the type and no other.
export const requestNames = optionNames<RequestOptions>({ signal: true });
// @ts-expect-error: "extraMs" is missing from the list
export const grownNames = optionNames<RequestOptions & { extraMs?: number }>({ signal: true });
// @ts-expect-error: "signl" is not a key of the type
export const misspeltNames = optionNames<RequestOptions>({ signal: true, signl: true });

// An interface grown by one optional key, with no reader for it: refused.
// @ts-expect-error: "extraMs" has no reader
export const grownManager: OptionsSpec<TokenManagerOptions & { extraMs?: number }> =
  TOKEN_MANAGER_SPEC;
// @ts-expect-error: "extraMs" has no reader
export const grownClient: OptionsSpec<ClientOptions & { extraMs?: number }> = CLIENT_SPEC;
// @ts-expect-error: "extraMs" has no reader
export const grownEmulator: OptionsSpec<EmulatorOptions & { extraMs?: number }> = EMULATOR_SPEC;
// @ts-expect-error: "extraMs" has no reader
export const grownDenoKv: OptionsSpec<DenoKvTokenStoreOptions & { extraMs?: number }> =
  DENO_KV_STORE_SPEC;
// @ts-expect-error: a group grown by one key: "extraMs" has no reader
export const grownGroup: OptionsSpec<ManagerRefreshOptions & { extraMs?: number }> =
  TOKEN_MANAGER_SPEC.refresh.group;

// A reader for a key the interface lacks: refused where a spec is written (`satisfies`).
export const extra = {
  timeoutMs: duration(1),
  // @ts-expect-error: not a key of the interface
  timeoutMS: duration(1),
} satisfies OptionsSpec<{ timeoutMs?: number }>;
