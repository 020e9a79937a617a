/**
 * The slice of a Redis client that {@link RedisTokenStore} uses, typed structurally so
 * `ioredis` stays an optional peer dependency: an `ioredis` `Redis` instance fits as is,
 * and nothing here imports `ioredis` at run time.
 *
 * @module
 */

/**
 * A Redis connection that can send any command. An `ioredis` `Redis` instance satisfies
 * it (`redis.call('GET', key)`); so does a thin wrapper around another client.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client: RedisClientLike = new Redis(process.env.REDIS_URL!);
 * ```
 */
export interface RedisClientLike {
  /** Sends one command and resolves with its reply (`null` for a nil reply). */
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
  /**
   * A second connection with the same options. Used once, lazily, for pub/sub: a
   * connection in subscriber mode cannot send ordinary commands.
   */
  duplicate(): RedisSubscriberLike;
}

/** A connection used only to `SUBSCRIBE`; `ioredis`'s `duplicate()` returns one. */
export interface RedisSubscriberLike {
  /** Subscribes to channels; resolves once Redis confirms. */
  subscribe(...channels: string[]): Promise<unknown>;
  /** A message arrived on a subscribed channel. */
  on(event: 'message', listener: (channel: string, message: string) => void): unknown;
  /** A connection error (the client reconnects on its own). */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** The connection is (again) ready; `ioredis` resubscribes by itself after a reconnect. */
  on(event: 'ready', listener: () => void): unknown;
  /** Closes the connection politely. */
  quit(): Promise<unknown>;
  /** Closes the connection at once. */
  disconnect(): void;
}
