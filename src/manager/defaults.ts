/**
 * The token manager's defaults, as one frozen object shaped like
 * `TokenManagerOptions`: `TOKEN_MANAGER_DEFAULTS.revoke.graceMs` is the default of the
 * `revoke.graceMs` option. Derived from the options spec, where each default is written
 * once, beside its check and its range.
 *
 * @module
 */
import { defaultsOf } from '../internal/options-spec.js';
import { TOKEN_MANAGER_SPEC } from './internal/spec.js';

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
export const TOKEN_MANAGER_DEFAULTS = defaultsOf(TOKEN_MANAGER_SPEC);

/** The type of {@link TOKEN_MANAGER_DEFAULTS}: every default, read-only, by group. */
export type TokenManagerDefaultValues = typeof TOKEN_MANAGER_DEFAULTS;
