/**
 * The loader's channels of the registry: stateless ones in the compact engine, v2.1 and
 * short-lived ones in a {@link TokenManager} each (least recently used first), loaded once
 * per channel however many callers ask at once, and evicted past `maxChannels`.
 *
 * @module
 */
import type { GetTokenOptions, TokenManager } from '../manager.js';
import type { TokenStrategy } from '../types.js';
import type { CompactEngine } from './engine.js';

/** What the loader's channels run on. */
export interface LoadedDeps {
  readonly engine: CompactEngine;
  readonly maxChannels: number;
  /** Calls the user's loader for a channel, checking its answer. */
  readonly credentials: (channelId: string) => Promise<TokenStrategy>;
  /** A registry-configured manager for a v2.1 or short-lived channel. */
  readonly manager: (strategy: TokenStrategy) => TokenManager;
}

/** Channels that came from the `credentials` loader. */
export class LoadedChannels {
  /** The v2.1 and short-lived channels, least recently used first. */
  readonly managers = new Map<string, TokenManager>();
  readonly #loading = new Map<string, Promise<void>>();
  readonly #d: LoadedDeps;
  /** Channels dropped from memory to stay under `maxChannels`. */
  evictions = 0;

  constructor(deps: LoadedDeps) {
    this.#d = deps;
  }

  /** How many channels are in memory. */
  get size(): number {
    return this.#d.engine.table.size + this.managers.size;
  }

  /** The manager under `key`, moved to the most recently used end. */
  touch(key: string): TokenManager | undefined {
    const manager = this.managers.get(key);
    if (manager !== undefined) {
      this.managers.delete(key);
      this.managers.set(key, manager);
    }
    return manager;
  }

  /** A token of channel `key`, loading its credentials first when it is not in memory. */
  async token(key: string, options: GetTokenOptions | undefined): Promise<string> {
    const engine = this.#d.engine;
    let slot = engine.table.index.get(key);
    if (slot === undefined && !this.managers.has(key)) {
      let loading = this.#loading.get(key);
      if (loading === undefined) {
        loading = this.#load(key).finally(() => this.#loading.delete(key));
        this.#loading.set(key, loading);
      }
      await loading;
      slot = engine.table.index.get(key);
    }
    if (slot !== undefined) return engine.token(slot);
    const manager = this.touch(key);
    if (manager === undefined) return this.token(key, options); // evicted meanwhile
    return manager.getToken(options);
  }

  /** Every channel id in memory. */
  *ids(): Iterable<string> {
    yield* this.managers.keys();
    yield* this.#d.engine.table.index.keys();
  }

  async #load(key: string): Promise<void> {
    const strategy = await this.#d.credentials(key);
    this.#makeRoom();
    if (strategy.type === 'stateless') {
      await this.#d.engine.activate(key, strategy);
    } else {
      this.managers.set(key, this.#d.manager(strategy));
    }
  }

  /** Drops least recently used channels until one more fits under `maxChannels`. */
  #makeRoom(): void {
    const engine = this.#d.engine;
    while (this.size >= this.#d.maxChannels) {
      const slot = engine.table.victim((s) => engine.busy(s));
      if (slot !== undefined) {
        engine.evict(slot);
      } else {
        const [key, manager] = this.managers.entries().next().value ?? [];
        if (key === undefined || manager === undefined) return;
        this.managers.delete(key);
        manager.close().catch(() => undefined);
      }
      this.evictions++;
    }
  }
}
