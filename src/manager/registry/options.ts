/**
 * The options of {@link TokenManagerRegistry}, their checks and the merge of the shared
 * defaults under each channel's own options.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import { CLIENT_DEFAULTS } from '../../client/defaults.js';
import {
  checkOptionNames,
  custom,
  duration,
  fn,
  integer,
  readOptions,
  type OptionsSpec,
} from '../../internal/options-spec.js';
import { invalidOption, wordOption } from '../../internal/validate.js';
import { GROUP_NAMES, MANAGER_CONTEXT, TOKEN_MANAGER_SPEC } from '../internal/spec.js';
import type { TokenStrategy } from '../types.js';
import type { TokenManagerOptions } from '../options.js';

/**
 * Options every manager of a registry starts from: any {@link TokenManagerOptions} but
 * `strategy` (each channel has its own) and `storeKey` (one key for several channels
 * would let them overwrite each other's token in a shared store).
 */
export type TokenManagerDefaults = Partial<Omit<TokenManagerOptions, 'strategy' | 'storeKey'>>;

/**
 * Loads a channel's credentials (from the platform's database or secret manager), given
 * its channel id. Called when the channel is first used, and again after LINE refused the
 * credentials it had (they changed). The strategy's `channelId` must be that channel id.
 */
export type CredentialsLoader = (channelId: string) => Promise<TokenStrategy> | TokenStrategy;

/** The default of {@link TokenManagerRegistryOptions.maxConcurrentIssues}, see docs/registry.md. */
export const DEFAULT_MAX_CONCURRENT_ISSUES = 32;

/** Options of {@link TokenManagerRegistry}. */
export interface TokenManagerRegistryOptions {
  /**
   * Merged under each channel's options, group by group: `register()`'s `revoke.graceMs`
   * overrides the default one and keeps the default `revoke.attempts`. A `client` or
   * `clientOptions` here builds the one client every channel issues through.
   *
   * @defaultValue none
   */
  defaults?: TokenManagerDefaults;
  /**
   * Credentials on demand: `getToken(channelId)` for a channel not registered calls this
   * once, then keeps the channel (up to `maxChannels`). Stateless channels live in the
   * registry's compact token table; v2.1 and short-lived ones get a full
   * {@link TokenManager} (their slot accounting at LINE needs it).
   *
   * @defaultValue none: only `register()`ed channels are served
   */
  credentials?: CredentialsLoader;
  /**
   * The most channels the loader's channels may number in memory; past it the least
   * recently used one is dropped (its token stays in the `defaults.store`, so using it
   * again reads the store and issues nothing).
   *
   * @defaultValue 100000
   */
  maxChannels?: number;
  /** At most this many issue requests to LINE in flight across all channels. @defaultValue 32 */
  maxConcurrentIssues?: number;
  /**
   * How long a caller with no servable token waits for its channel's issue to leave the
   * queue before getting a `TokenUnavailableError` that names the queue, ms.
   *
   * @defaultValue 30000
   */
  queueTimeoutMs?: number;
  /**
   * The Messaging API base URL, for `forDestination()` (`GET /v2/bot/info`).
   *
   * @defaultValue "https://api.line.me"
   */
  messagingBaseUrl?: string;
  /**
   * The fetch `forDestination()` calls the Messaging API with.
   *
   * @defaultValue globalThis.fetch
   */
  fetch?: typeof fetch;
}

/** The options checked and defaulted. */
export interface RegistrySettings {
  readonly defaults: TokenManagerDefaults;
  readonly credentials: CredentialsLoader | undefined;
  readonly maxChannels: number;
  readonly maxConcurrentIssues: number;
  readonly queueTimeoutMs: number;
  readonly messagingBaseUrl: string;
  readonly fetch: typeof fetch;
}

/** Checks the registry's `defaults`: manager options but `strategy` and `storeKey`. */
function registryDefaults(value: unknown, path: string): TokenManagerDefaults {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidOption(path, 'an object of TokenManager options', value);
  }
  for (const own of ['strategy', 'storeKey']) {
    if (own in value) {
      throw new InvalidArgumentError(
        own,
        `"${own}" cannot be a registry default: give it to register() for each channel`,
      );
    }
  }
  // The names are checked now, not at the first register(): a misspelt default would
  // otherwise pass until a channel is added. The values are checked per channel, after
  // its own options are merged over them (a channel may override a default).
  checkOptionNames(TOKEN_MANAGER_SPEC, value, MANAGER_CONTEXT);
  return { ...(value as TokenManagerDefaults) };
}

/** The reader of each option (see internal/options-spec.ts); internal. */
export const REGISTRY_SPEC = {
  defaults: custom(registryDefaults),
  credentials: fn<CredentialsLoader | undefined>(undefined),
  maxChannels: integer(100_000, 1, 100_000_000),
  maxConcurrentIssues: integer(DEFAULT_MAX_CONCURRENT_ISSUES, 1, 1_024),
  queueTimeoutMs: duration(30_000),
  messagingBaseUrl: custom((value, path) =>
    wordOption(path, value, CLIENT_DEFAULTS.baseUrl).replace(/\/+$/, ''),
  ),
  fetch: fn<typeof fetch>((...args: Parameters<typeof fetch>) => globalThis.fetch(...args)),
} satisfies OptionsSpec<TokenManagerRegistryOptions>;

/** Checks the registry's own options and its `defaults` (as manager options). */
export function checkRegistryOptions(options: TokenManagerRegistryOptions): RegistrySettings {
  if (typeof options !== 'object' || options === null) {
    invalidOption('options', 'an object of TokenManagerRegistry options', options);
  }
  return readOptions(REGISTRY_SPEC, options, { where: 'TokenManagerRegistry' });
}

/**
 * `options` over `defaults`, one level deep for the option groups (both plain objects), so
 * a channel that sets one `retry` option keeps the registry's other `retry` options.
 */
export function merge(
  defaults: TokenManagerDefaults,
  options: TokenManagerOptions,
): TokenManagerOptions {
  const merged: Record<string, unknown> = { ...defaults, ...options };
  const d = defaults as Record<string, unknown>;
  const o = options as unknown as Record<string, unknown>;
  for (const group of GROUP_NAMES) {
    if (isPlainObject(d[group]) && isPlainObject(o[group]))
      merged[group] = { ...d[group], ...o[group] };
  }
  return merged as unknown as TokenManagerOptions;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
