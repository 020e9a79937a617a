/**
 * {@link TokenManagerRegistry}: one {@link TokenManager} per channel in one process, with
 * shared defaults and one `close()`.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { describeValue, invalidOption } from '../internal/validate.js';
import { checkOptionNames, GROUP_NAMES } from './internal/option-names.js';
import { TokenManager, type GetTokenOptions } from './manager.js';
import type { TokenManagerOptions } from './types.js';

/**
 * Options every manager of a registry starts from: any {@link TokenManagerOptions} but
 * `strategy` (each channel has its own) and `storeKey` (one key for several channels
 * would let them overwrite each other's token in a shared store).
 */
export type TokenManagerDefaults = Partial<Omit<TokenManagerOptions, 'strategy' | 'storeKey'>>;

/** Options of {@link TokenManagerRegistry}. */
export interface TokenManagerRegistryOptions {
  /**
   * Merged under each `register()` call's options, group by group: `register()`'s
   * `revoke.graceMs` overrides the default one and keeps the default `revoke.attempts`.
   *
   * @defaultValue none
   */
  defaults?: TokenManagerDefaults;
}

/**
 * Many channels from one process: a {@link TokenManager} per key (usually the channel id),
 * built from shared defaults — a shared `client` or `store` belongs there — and closed
 * together. Each channel's tokens stay its own: a shared store keys them by strategy and
 * channel id.
 *
 * @example
 * ```ts
 * const registry = new TokenManagerRegistry({ defaults: { store, onRefreshError } });
 * registry.register('1234567890', { strategy: { type: 'stateless', channelId: '1234567890', channelSecret } });
 * registry.register('2345678901', { strategy: { type: 'v2.1', channelId: '2345678901', kid, privateKey } });
 * const token = await registry.getToken('1234567890');
 * // On shutdown:
 * await registry.close();
 * ```
 */
export class TokenManagerRegistry {
  readonly #defaults: TokenManagerDefaults;
  readonly #managers = new Map<string, TokenManager>();
  #closing: Promise<void> | undefined;

  /**
   * @throws {@link InvalidArgumentError} when `defaults` is not an object, holds `strategy`
   *   or `storeKey`, or a name that is no TokenManager option.
   */
  constructor(options: TokenManagerRegistryOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      invalidOption('options', 'an object of TokenManagerRegistry options', options);
    }
    const defaults = options.defaults ?? {};
    if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) {
      invalidOption('defaults', 'an object of TokenManager options', defaults);
    }
    for (const own of ['strategy', 'storeKey']) {
      if (own in defaults) {
        throw new InvalidArgumentError(
          own,
          `"${own}" cannot be a registry default: give it to register() for each channel`,
        );
      }
    }
    // Refused now, not at the first register(): a misspelt default would otherwise pass
    // until a channel is added.
    checkOptionNames(defaults, 'TokenManager');
    this.#defaults = { ...defaults };
  }

  /**
   * Creates and keeps the manager for `key` from the defaults and `options` (which win).
   *
   * @throws {@link InvalidArgumentError} when `key` is empty or already registered, the
   *   registry is closed, or an option is bad (as {@link TokenManager}'s constructor).
   */
  register(key: string, options: TokenManagerOptions): TokenManager {
    if (typeof key !== 'string' || key === '') {
      throw new InvalidArgumentError(
        'key',
        'register() needs a non-empty key, e.g. the channel id',
      );
    }
    if (this.#closing !== undefined) {
      throw new InvalidArgumentError(
        'key',
        'the registry is closed: create a new one to register channels',
      );
    }
    if (this.#managers.has(key)) {
      throw new InvalidArgumentError(
        'key',
        `a TokenManager is already registered under "${key}": use get("${key}"), or close it and register on a new registry`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(
        'options',
        'register() needs TokenManager options with a "strategy"',
      );
    }
    const manager = new TokenManager(merge(this.#defaults, options));
    this.#managers.set(key, manager);
    return manager;
  }

  /** The manager registered under `key`, or `undefined`. */
  get(key: string): TokenManager | undefined {
    return this.#managers.get(key);
  }

  /** The keys registered, in registration order. */
  keys(): string[] {
    return [...this.#managers.keys()];
  }

  /**
   * A valid token of the channel registered under `key` (see {@link TokenManager.getToken}).
   *
   * @throws {@link InvalidArgumentError} when nothing is registered under `key`.
   */
  getToken(key: string, options?: GetTokenOptions): Promise<string> {
    const manager = this.#managers.get(key);
    if (manager === undefined) {
      return Promise.reject(
        new InvalidArgumentError(
          'key',
          typeof key === 'string'
            ? `no TokenManager is registered under "${key}": register(key, options) first`
            : `getToken() needs the string key a manager was registered under (got ${describeValue(key)})`,
        ),
      );
    }
    return manager.getToken(options);
  }

  /** Closes every manager (see {@link TokenManager.close}); registering afterwards is refused. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([...this.#managers.values()].map((m) => m.close())).then(
      () => undefined,
    );
    return this.#closing;
  }
}

/**
 * `options` over `defaults`, one level deep for the option groups (both plain objects), so
 * a channel that sets one `retry` option keeps the registry's other `retry` options.
 */
function merge(defaults: TokenManagerDefaults, options: TokenManagerOptions): TokenManagerOptions {
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
