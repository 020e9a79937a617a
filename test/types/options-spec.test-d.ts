// The options specs are checked against the public interfaces by the compiler: a property
// added to an options interface without a reader fails `npm run typecheck` (here, an
// interface grown by one key no longer accepts the spec), and so does a reader for a key
// the interface does not have.
import type { ClientOptions, RetryOptions, TokenManagerOptions } from '../../src/index.js';
import type { ManagerRefreshOptions } from '../../src/manager/option-groups.js';
import { duration, type OptionsSpec } from '../../src/internal/options-spec.js';
import { CLIENT_SPEC, RETRY_SPEC } from '../../src/client/internal/spec.js';
import { TOKEN_MANAGER_SPEC } from '../../src/manager/internal/spec.js';

// The real specs cover the real interfaces.
export const manager: OptionsSpec<TokenManagerOptions> = TOKEN_MANAGER_SPEC;
export const client: OptionsSpec<ClientOptions> = CLIENT_SPEC;
export const retry: OptionsSpec<RetryOptions> = RETRY_SPEC;
export const refresh: OptionsSpec<ManagerRefreshOptions> = TOKEN_MANAGER_SPEC.refresh.group;

// An interface grown by one optional key, with no reader for it: refused.
// @ts-expect-error: "extraMs" has no reader
export const grownManager: OptionsSpec<TokenManagerOptions & { extraMs?: number }> =
  TOKEN_MANAGER_SPEC;
// @ts-expect-error: "extraMs" has no reader
export const grownClient: OptionsSpec<ClientOptions & { extraMs?: number }> = CLIENT_SPEC;
// @ts-expect-error: a group grown by one key: "extraMs" has no reader
export const grownGroup: OptionsSpec<ManagerRefreshOptions & { extraMs?: number }> =
  TOKEN_MANAGER_SPEC.refresh.group;

// A reader for a key the interface lacks: refused where a spec is written (`satisfies`).
export const extra = {
  timeoutMs: duration(1),
  // @ts-expect-error: not a key of the interface
  timeoutMS: duration(1),
} satisfies OptionsSpec<{ timeoutMs?: number }>;
