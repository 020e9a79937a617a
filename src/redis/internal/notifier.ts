/**
 * The pub/sub side of the Redis store: the store's own subscription (a duplicated
 * connection, or the cluster's sharded pub/sub connections), opened on the first wait and
 * closed by `close()`, fanning messages out to in-process waiters.
 *
 * @module
 */
import type { PubSubConnection, RedisAdapter } from './adapter.js';
import { safeReason } from './command.js';

/** What the notifier needs from the store's normalized options. */
export interface NotifierOptions {
  adapter: RedisAdapter;
  enabled: boolean;
  commandTimeoutMs: number;
  onWarning: (message: string) => void;
}

/** Wakes in-process waiters when a message arrives on a channel. */
export class ChangeNotifier {
  readonly #options: NotifierOptions;
  #subscriber: PubSubConnection | undefined;
  readonly #subscriptions = new Map<string, Promise<boolean>>();
  readonly #listeners = new Map<string, Set<() => void>>();
  #closed = false;
  // One warning per outage, not one per reconnect attempt: reset once a subscription works.
  #warned = false;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  /** Calls `listener` on every message on `channel` until the returned function is called. */
  listen(channel: string, listener: () => void): () => void {
    let set = this.#listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(channel, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(channel);
    };
  }

  /**
   * Resolves `true` once `channel` is subscribed, `false` when pub/sub is off or failed
   * (the caller then relies on polling). Never rejects.
   */
  ready(channel: string): Promise<boolean> {
    if (!this.#options.enabled || this.#closed) return Promise.resolve(false);
    let pending = this.#subscriptions.get(channel);
    if (pending === undefined) {
      pending = this.#subscribe(channel);
      this.#subscriptions.set(channel, pending);
    }
    return pending;
  }

  async #subscribe(channel: string): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const subscriber = this.#ensureSubscriber();
      const confirmed = subscriber.subscribe(channel);
      confirmed.catch(() => {});
      await Promise.race([
        confirmed,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${this.#options.commandTimeoutMs} ms`)),
            this.#options.commandTimeoutMs,
          );
        }),
      ]);
      this.#warned = false;
      return true;
    } catch (error) {
      // Forget the attempt so the next wait tries again; the client resubscribes on its own
      // after a reconnect only for subscriptions that once succeeded.
      this.#subscriptions.delete(channel);
      this.#warn(
        `Redis store: pub/sub unavailable (${safeReason(error)}); waiting falls back to polling`,
      );
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  #ensureSubscriber(): PubSubConnection {
    if (this.#subscriber !== undefined) return this.#subscriber;
    this.#subscriber = this.#options.adapter.openPubSub({
      message: (channel) => {
        const set = this.#listeners.get(channel);
        if (set === undefined) return;
        for (const listener of [...set]) listener();
      },
      // Without a listener, the clients print (ioredis) or throw (node-redis) every error.
      error: (error) =>
        this.#warn(
          `Redis store: pub/sub connection error (${safeReason(error)}); polling until it recovers`,
        ),
      // Back after an outage: the next outage deserves its own warning.
      ready: () => {
        this.#warned = false;
      },
    });
    return this.#subscriber;
  }

  #warn(message: string): void {
    if (this.#warned || this.#closed) return;
    this.#warned = true;
    this.#options.onWarning(message);
  }

  /** Wakes every waiter and closes the pub/sub connection, if one was opened. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const set of this.#listeners.values()) for (const listener of [...set]) listener();
    this.#listeners.clear();
    this.#subscriptions.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber === undefined) return;
    await subscriber.close(this.#options.commandTimeoutMs);
  }
}
