/**
 * {@link TokenManagerRegistry}: many channels in one process, with shared defaults, one
 * bounded issue queue, credentials loaded on demand and one `close()`.
 *
 * @module
 */
import type { ChannelAccessTokenClient } from '../client/client.js';
import { InvalidArgumentError, TokenUnavailableError } from '../errors.js';
import { describeValue } from '../internal/validate.js';
import { withSignal } from '../internal/with-signal.js';
import { normalizeSettings, type Settings } from './internal/options.js';
import {
  checkClient,
  checkStore,
  getTokenSignal,
  TokenManager,
  type GetTokenOptions,
} from './manager.js';
import { Destinations } from './registry/destinations.js';
import { CompactEngine } from './registry/engine.js';
import { LoadedChannels } from './registry/loaded.js';
import { IssueLimiter } from './registry/limiter.js';
import { limitedClient } from './registry/limited-client.js';
import { FailureCounts, type TokenManagerRegistryStatus } from './registry/metrics.js';
import {
  checkRegistryOptions,
  merge,
  type RegistrySettings,
  type TokenManagerRegistryOptions,
} from './registry/options.js';
import { loadCredentials, registryStatus } from './registry/status.js';
import type { TokenStore } from './store.js';
import type { TokenStrategy } from './types.js';
import type { TokenManagerOptions } from './options.js';

export type {
  CredentialsLoader,
  TokenManagerDefaults,
  TokenManagerRegistryOptions,
} from './registry/options.js';
export type { TokenManagerRegistryStatus } from './registry/metrics.js';

/**
 * Many channels from one process. Channels come from `register(key, options)` (a
 * {@link TokenManager} each) or, with the `credentials` loader, on first use of
 * `getToken(channelId)`: stateless channels then live in one compact token table with one
 * refresh schedule, v2.1 and short-lived ones in a TokenManager each (LINE counts their
 * live tokens, which the manager accounts for). Every issue goes through one queue: at
 * most `maxConcurrentIssues` in flight, earliest deadline first, each endpoint paced under
 * LINE's rate and paused by a 429. Each channel's tokens stay its own: a shared store
 * keys them by strategy and channel id.
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
  readonly #o: RegistrySettings;
  readonly #settings: Settings;
  readonly #store: TokenStore | undefined;
  readonly #client: ChannelAccessTokenClient;
  readonly #limiter: IssueLimiter;
  readonly #engine: CompactEngine | undefined;
  readonly #managers = new Map<string, TokenManager>();
  /** The loader's channels, when there is a loader. */
  readonly #loaded: LoadedChannels | undefined;
  readonly #failures = new FailureCounts();
  readonly #destinations: Destinations;
  /** The defaults could not be checked on their own: managers keep their own clients. */
  #unqueued = false;
  #closing: Promise<void> | undefined;
  /** Stops reporting the queue length to the telemetry of the defaults, if any. */
  readonly #stopQueueGauge: () => void;

  /**
   * @throws {@link InvalidArgumentError} when an option is bad, or `defaults` holds
   *   `strategy`, `storeKey`, or a name that is no TokenManager option.
   */
  constructor(options: TokenManagerRegistryOptions = {}) {
    this.#o = checkRegistryOptions(options);
    const defaults = this.#o.defaults as TokenManagerOptions;
    let settings: Settings;
    try {
      // The defaults' settings drive what the registry does itself (clock, timers, windows).
      settings = normalizeSettings({ ...defaults, strategy: { type: 'static', accessToken: '-' } });
    } catch (err) {
      // Without a loader a bad default stays register()'s to report (a channel's own
      // options may override it); its managers then issue outside the queue.
      if (this.#o.credentials !== undefined) throw err;
      settings = normalizeSettings({ strategy: { type: 'static', accessToken: '-' } });
      this.#unqueued = true;
    }
    this.#settings = settings;
    this.#store = defaults.store === undefined ? undefined : checkStore(defaults.store);
    this.#client = checkClient(this.#unqueued ? ({} as TokenManagerOptions) : defaults, settings);
    this.#limiter = new IssueLimiter({
      maxConcurrent: this.#o.maxConcurrentIssues,
      now: settings.now,
      timers: settings.timers,
    });
    this.#stopQueueGauge = settings.telemetry?.observeQueue(() => this.queueLength) ?? (() => {});
    if (this.#o.credentials !== undefined) {
      this.#engine = new CompactEngine({
        settings,
        client: this.#client,
        store: this.#store,
        limiter: this.#limiter,
        queueTimeoutMs: this.#o.queueTimeoutMs,
        reload: (id) => this.#credentialsOf(id, 'stateless'),
        failures: this.#failures,
      });
      this.#loaded = new LoadedChannels({
        engine: this.#engine,
        maxChannels: this.#o.maxChannels,
        credentials: (id) => this.#credentialsOf(id, undefined),
        manager: (strategy) => new TokenManager(this.#optionsOf({ strategy })),
      });
    }
    this.#destinations = new Destinations({
      store: this.#store,
      fetch: this.#o.fetch,
      baseUrl: this.#o.messagingBaseUrl,
      now: settings.wallNow,
      timeoutMs: settings.callTimeoutMs,
      tokenOf: (id) => this.getToken(id),
    });
  }

  /**
   * Creates and keeps the manager for `key` from the defaults and `options` (which win).
   * Its issues go through the registry's queue unless `options` brings its own
   * `clientOptions`.
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
    const manager = new TokenManager(this.#optionsOf(options));
    this.#managers.set(key, manager);
    return manager;
  }

  /** The manager registered (or loaded, for v2.1 and short-lived) under `key`, or `undefined`. */
  get(key: string): TokenManager | undefined {
    return this.#managers.get(key) ?? this.#loaded?.managers.get(key);
  }

  /** The keys registered, in registration order (not the loader's channels). */
  keys(): string[] {
    return [...this.#managers.keys()];
  }

  /**
   * A valid token of the channel under `key`: registered, or (with `credentials`) the
   * channel id to load. A stateless channel's token comes from the token table while it
   * may be served; it is never handed out past its expiry margin.
   *
   * @throws {@link TokenUnavailableError} when no valid token can be had (the message says
   *   when the registry's queue was the reason); {@link InvalidArgumentError} when nothing
   *   is registered under `key` and there is no loader, or an option is bad. An aborted
   *   `signal` ends this caller's wait, as with {@link TokenManager.getToken}.
   */
  getToken(key: string, options?: GetTokenOptions): Promise<string> {
    let signal: AbortSignal | undefined;
    try {
      if (typeof key !== 'string') {
        const got = describeValue(key);
        throw new InvalidArgumentError(
          'key',
          `getToken() needs the string key a channel is known by (got ${got})`,
        );
      }
      signal = getTokenSignal(options); // read here too: the token table has no manager
    } catch (err) {
      return Promise.reject(err);
    }
    const token = this.#engine?.peek(key);
    if (token !== undefined) return Promise.resolve(token);
    const manager = this.#managers.get(key) ?? this.#loaded?.touch(key);
    if (manager !== undefined) return manager.getToken(options);
    return withSignal(this.#slowToken(key, options), signal); // the load and issue go on
  }

  /**
   * The channel id of a webhook's `destination` (the bot's user id), or `undefined` when
   * no channel in memory is that bot. Learnt from the Messaging API's `GET /v2/bot/info`
   * once per channel and kept in the store, so other processes and restarts skip it.
   */
  forDestination(destination: string): Promise<string | undefined> {
    if (typeof destination !== 'string' || destination === '') {
      return Promise.reject(
        new InvalidArgumentError(
          'destination',
          'forDestination() needs the webhook\'s "destination"',
        ),
      );
    }
    const loaded = this.#loaded?.ids() ?? [];
    return this.#destinations.find(destination, [...this.#managers.keys(), ...loaded]);
  }

  /** Issue requests waiting in the registry's queue now: the gauge telemetry polls, in
   * constant time (`status()` counts every channel's token). */
  get queueLength(): number {
    return this.#limiter.queued;
  }

  /** A snapshot for dashboards and telemetry (`queueLength`, failures by cause...). */
  status(): TokenManagerRegistryStatus {
    const managers = this.#allManagers();
    return registryStatus({
      engine: this.#engine?.counts(),
      managers: managers.map((m) => m.status()),
      now: this.#settings.now(),
      registered: this.#managers.size,
      loaded: this.#loaded?.size ?? 0,
      queue: this.#limiter.status(),
      failures: this.#failures,
      evictions: this.#loaded?.evictions ?? 0,
    });
  }

  /** Closes every manager (see {@link TokenManager.close}) and the schedule; registering afterwards is refused. */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#engine?.stop();
      this.#limiter.stop();
      this.#stopQueueGauge();
      const all = this.#allManagers();
      this.#closing = Promise.all(all.map((m) => m.close())).then(() => undefined);
    }
    return this.#closing;
  }

  #optionsOf(options: TokenManagerOptions): TokenManagerOptions {
    const merged = merge(this.#o.defaults, options) as TokenManagerOptions &
      Record<string, unknown>;
    // A channel's own clientOptions make its own client, outside the queue.
    if (options.clientOptions !== undefined || this.#unqueued) return merged;
    const { clientOptions: _shared, ...rest } = merged;
    const client = limitedClient(options.client ?? this.#client, this.#limiter, this.#settings.now);
    return { ...rest, client };
  }

  #allManagers(): TokenManager[] {
    return [...this.#managers.values(), ...(this.#loaded?.managers.values() ?? [])];
  }

  async #slowToken(key: string, options: GetTokenOptions | undefined): Promise<string> {
    const loaded = this.#loaded;
    if (loaded === undefined) {
      throw new InvalidArgumentError(
        'key',
        `no TokenManager is registered under "${key}": register(key, options) first`,
      );
    }
    if (this.#closing !== undefined) {
      throw new TokenUnavailableError('the registry is closed', {
        permanent: true,
        hint: 'Create a new TokenManagerRegistry to get tokens again',
      });
    }
    return loaded.token(key, options);
  }

  /** Calls the loader for `channelId`, checking what it gives. */
  #credentialsOf(channelId: string, type: 'stateless' | undefined): Promise<TokenStrategy> {
    return loadCredentials(this.#o.credentials!, channelId, type, this.#failures);
  }
}
