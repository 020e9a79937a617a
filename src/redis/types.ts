/**
 * The slices of the Redis clients that {@link RedisTokenStore} uses, typed structurally so
 * both clients stay optional peer dependencies: an `ioredis` `Redis` or `Cluster`, and a
 * `redis` (node-redis v5) client from `createClient` or `createCluster` fit as they are,
 * and nothing here imports either package at run time.
 *
 * @module
 */

/**
 * An `ioredis` connection (`new Redis(...)` or `new Cluster(...)`), or anything shaped
 * like one: it can send any command and duplicate itself for pub/sub.
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

/** A connection used only to subscribe; `ioredis`'s `duplicate()` returns one. */
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

/** A node-redis pub/sub listener: the message first, then the channel. */
export type NodeRedisListener = (message: string, channel: string) => unknown;

/**
 * A connected node-redis v5 client from `createClient()` (call `await client.connect()`
 * before handing it over, as for any node-redis use).
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * const client: NodeRedisClientLike = await createClient({ url: process.env.REDIS_URL }).connect();
 * ```
 */
export interface NodeRedisClientLike {
  /** Sends one command given as its words, e.g. `['GET', key]`. */
  sendCommand(args: string[]): Promise<unknown>;
  /** A second client with the same options, for pub/sub; the store connects and closes it. */
  duplicate(): NodeRedisSubscriberLike;
}

/** The duplicated node-redis client the store subscribes with. */
export interface NodeRedisSubscriberLike {
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Sharded subscribe (Redis 7+). */
  sSubscribe(channels: string, listener: NodeRedisListener): Promise<unknown>;
  /** Classic subscribe, for servers before Redis 7. */
  subscribe(channels: string, listener: NodeRedisListener): Promise<unknown>;
  /** Connection errors (node-redis reconnects and resubscribes on its own). */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Closes the connection politely. */
  close(): Promise<unknown>;
  /** Closes the connection at once. */
  destroy(): void;
}

/**
 * A connected node-redis v5 cluster from `createCluster()`. The store routes each command
 * by its key and subscribes through the cluster's own sharded pub/sub connections.
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis';
 * const cluster: NodeRedisClusterLike = await createCluster({
 *   rootNodes: [{ url: 'redis://10.0.0.1:6379' }],
 * }).connect();
 * ```
 */
export interface NodeRedisClusterLike {
  /** Sends one command to the node owning `firstKey`. */
  sendCommand(firstKey: string, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  /** Sharded subscribe on the node owning the channel's slot. */
  sSubscribe(channels: string, listener: NodeRedisListener): Promise<unknown>;
  /** Removes a sharded listener. */
  sUnsubscribe(channels: string, listener?: NodeRedisListener): Promise<unknown>;
  /** Present on node-redis clusters only; how the store tells a cluster from a single client. */
  nodeClient(node: never): unknown;
}

/** Any Redis client the store accepts. */
export type RedisClient = RedisClientLike | NodeRedisClientLike | NodeRedisClusterLike;
