/**
 * The token manager's defaults, as one frozen object shaped like
 * `TokenManagerOptions`: `TOKEN_MANAGER_DEFAULTS.revoke.graceMs` is the default of the
 * `revoke.graceMs` option. Derived from the options spec, where each default is written
 * once, beside its check and its range.
 *
 * @module
 */
import { defaultsOf, type DefaultsOf, type SameKeys } from '../internal/options-spec.js';
import { TOKEN_MANAGER_SPEC } from './internal/spec.js';
import type {
  ManagerLockOptions,
  ManagerRefreshOptions,
  ManagerRetryOptions,
  ManagerRevokeOptions,
  ManagerTokenLimitOptions,
} from './option-groups.js';

/**
 * The defaults of `TokenManagerOptions`, group by group. Read-only (frozen all the
 * way down); pass options to override them.
 *
 * `revoke.onClose` has no fixed default (it is `true` without a `store`, `false` with
 * one), so it is not here.
 *
 * @example
 * ```ts
 * // Revoke superseded tokens sooner than the default minute:
 * new TokenManager({ strategy, revoke: { graceMs: TOKEN_MANAGER_DEFAULTS.revoke.graceMs / 2 } });
 * ```
 */
export const TOKEN_MANAGER_DEFAULTS: TokenManagerDefaultValues = defaultsOf(TOKEN_MANAGER_SPEC);

/** The type of {@link TOKEN_MANAGER_DEFAULTS}: every default, read-only, by group. */
export interface TokenManagerDefaultValues {
  /** See `TokenManagerOptions.storeTimeoutMs`. */
  readonly storeTimeoutMs: number;
  /** See {@link ManagerRefreshOptions}. */
  readonly refresh: Readonly<Required<ManagerRefreshOptions>>;
  /** See {@link ManagerRetryOptions}. */
  readonly retry: Readonly<Required<ManagerRetryOptions>>;
  /** See {@link ManagerTokenLimitOptions}. */
  readonly tokenLimit: Readonly<Required<ManagerTokenLimitOptions>>;
  /** See {@link ManagerRevokeOptions}; `onClose` has no fixed default. */
  readonly revoke: Readonly<Required<Omit<ManagerRevokeOptions, 'onClose'>>>;
  /** See {@link ManagerLockOptions}. */
  readonly lock: Readonly<Required<ManagerLockOptions>>;
}

// The written-out type lists exactly the keys the spec gives a default, group by group: a
// default added to the spec and not here (or the reverse) fails to compile.
type Derived = DefaultsOf<typeof TOKEN_MANAGER_SPEC>;
const sameKeys: SameKeys<TokenManagerDefaultValues, Derived> &
  SameKeys<TokenManagerDefaultValues['refresh'], Derived['refresh']> &
  SameKeys<TokenManagerDefaultValues['retry'], Derived['retry']> &
  SameKeys<TokenManagerDefaultValues['tokenLimit'], Derived['tokenLimit']> &
  SameKeys<TokenManagerDefaultValues['revoke'], Derived['revoke']> &
  SameKeys<TokenManagerDefaultValues['lock'], Derived['lock']> = true;
void sameKeys;
