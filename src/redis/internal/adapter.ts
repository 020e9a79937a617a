/**
 * One small adapter over the Redis clients the store accepts, detected from the object
 * the user hands over: `ioredis` (`Redis` or `Cluster`) or node-redis v5 (`createClient`
 * or `createCluster`). Neither package is imported: the adapter only calls methods the
 * user's own client already has.
 *
 * @module
 */
import type {
  NodeRedisClientLike,
  NodeRedisClusterLike,
  NodeRedisListener,
  NodeRedisSubscriberLike,
  RedisClient,
  RedisClientLike,
} from '../types.js';

/** What the pub/sub side reports. */
export interface PubSubEvents {
  /** A message arrived on `channel`. */
  message(channel: string): void;
  /** The connection failed (the client reconnects on its own). */
  error(error: unknown): void;
  /** The connection is (again) ready. */
  ready(): void;
}

/** The store's subscription connection(s). */
export interface PubSubConnection {
  /** Subscribes to `channel` (sharded where the server has it); rejects when it cannot. */
  subscribe(channel: string): Promise<void>;
  /** Closes what the store opened; `deadlineMs` bounds a polite close. */
  close(deadlineMs: number): Promise<void>;
}

/** The client, behind the three things the store does with it. */
export interface RedisAdapter {
  /** The client's kind, for messages: `ioredis`, `ioredis Cluster`, `node-redis`, `node-redis cluster`. */
  readonly kind: string;
  /** Whether keys are spread over a cluster (sharded pub/sub only, no classic fallback). */
  readonly cluster: boolean;
  /** Sends `args` (a command and its arguments) to the node that owns `key`. */
  send(key: string, args: (string | number)[]): Promise<unknown>;
  /**
   * Re-reads the cluster's slot map, for a client that would otherwise keep sending a
   * slot's commands to a dead master (node-redis `createCluster`); absent elsewhere.
   */
  refresh?: () => Promise<void>;
  /** Opens the store's own pub/sub side. */
  openPubSub(events: PubSubEvents): PubSubConnection;
}

/** Whether `value` is a client the adapter knows, checked before anything is sent. */
export function isSupportedClient(value: unknown): value is RedisClient {
  return kindOf(value) !== undefined;
}

type Kind = 'ioredis' | 'ioredis-cluster' | 'node-redis' | 'node-redis-cluster';

function kindOf(value: unknown): Kind | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Record<string, unknown>;
  // ioredis first: its instances also have a (different) `sendCommand`.
  if (typeof c.call === 'function' && typeof c.duplicate === 'function') {
    return c.isCluster === true ? 'ioredis-cluster' : 'ioredis';
  }
  if (typeof c.sendCommand !== 'function') return undefined;
  if (typeof c.nodeClient === 'function' && typeof c.sSubscribe === 'function') {
    return 'node-redis-cluster';
  }
  return typeof c.duplicate === 'function' ? 'node-redis' : undefined;
}

/** The adapter for `client`; call {@link isSupportedClient} first. */
export function adapterFor(client: RedisClient): RedisAdapter {
  switch (kindOf(client)) {
    case 'ioredis':
      return ioredisAdapter(client as RedisClientLike, false);
    case 'ioredis-cluster':
      return ioredisAdapter(client as RedisClientLike, true);
    case 'node-redis':
      return nodeRedisAdapter(client as NodeRedisClientLike);
    case 'node-redis-cluster':
      return nodeRedisClusterAdapter(client as NodeRedisClusterLike);
    default:
      throw new TypeError('unsupported Redis client');
  }
}

/** Redis before 7.0 has no sharded pub/sub. */
function isUnknownCommand(error: unknown): boolean {
  return error instanceof Error && /unknown command/i.test(error.message);
}

const NO_SHARDED =
  'this Redis has no sharded pub/sub (SSUBSCRIBE needs Redis 7); in a cluster the store polls instead';

/** Tries the sharded form, falls back to the classic one on a standalone server before Redis 7. */
function shardedOrClassic(
  cluster: boolean,
  sharded: (channel: string) => Promise<unknown>,
  classic: (channel: string) => Promise<unknown>,
): (channel: string) => Promise<void> {
  let hasSharded = true;
  return async (channel) => {
    if (hasSharded) {
      try {
        await sharded(channel);
        return;
      } catch (error) {
        if (!isUnknownCommand(error)) throw error;
        hasSharded = false;
      }
    }
    if (cluster) throw new Error(NO_SHARDED);
    await classic(channel);
  };
}

/** Runs `close`, or `abort` when it fails or outlives `deadlineMs`. */
async function closeWithin(
  deadlineMs: number,
  close: () => Promise<unknown>,
  abort: () => unknown,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      (async () => close())(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('close timed out')), deadlineMs);
      }),
    ]);
  } catch {
    // A connection that cannot say goodbye (Redis down) is dropped instead.
    abort();
  } finally {
    clearTimeout(timer);
  }
}

/** The ioredis subscriber methods beyond {@link RedisSubscriberLike}, present on real instances. */
interface IoredisSubscriber {
  subscribe(...channels: string[]): Promise<unknown>;
  ssubscribe?(...channels: string[]): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

function ioredisAdapter(client: RedisClientLike, cluster: boolean): RedisAdapter {
  return {
    kind: cluster ? 'ioredis Cluster' : 'ioredis',
    cluster,
    send: (_key, [command, ...args]) => client.call(String(command), ...args),
    openPubSub(events) {
      // A Cluster's plain subscriber talks to one random node, which answers MOVED to a
      // sharded subscribe for another node's slot; `shardedSubscribers` gives each master
      // its own subscriber and follows the slots through a failover.
      // tsc needs this cast (the like-type's duplicate() takes no options); the type-aware
      // lint, resolving the interface differently, calls it unnecessary.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
      const duplicate = client.duplicate as (...args: unknown[]) => IoredisSubscriber;
      const sub = cluster
        ? duplicate.call(client, [], { shardedSubscribers: true })
        : duplicate.call(client);
      sub.on('message', (channel: string) => events.message(channel));
      sub.on('smessage', (channel: string) => events.message(channel));
      sub.on('error', (error: Error) => events.error(error));
      sub.on('ready', () => events.ready());
      const subscribe = shardedOrClassic(
        cluster,
        (channel) =>
          typeof sub.ssubscribe === 'function'
            ? sub.ssubscribe(channel)
            : Promise.reject(new Error('unknown command: the client has no ssubscribe')),
        (channel) => sub.subscribe(channel),
      );
      return {
        subscribe,
        close: (deadlineMs) =>
          closeWithin(
            deadlineMs,
            () => sub.quit(),
            () => sub.disconnect(),
          ),
      };
    },
  };
}

function nodeRedisAdapter(client: NodeRedisClientLike): RedisAdapter {
  return {
    kind: 'node-redis',
    cluster: false,
    send: (_key, args) => client.sendCommand(args.map(String)),
    openPubSub(events) {
      // node-redis refuses ordinary commands on a subscribed connection: use a duplicate.
      const sub: NodeRedisSubscriberLike = client.duplicate();
      sub.on('error', (error) => events.error(error));
      (sub.on as (event: string, listener: () => void) => unknown)('ready', () => events.ready());
      const connected = sub.connect();
      connected.catch(() => {});
      const listener: NodeRedisListener = (_message, channel) => events.message(channel);
      const subscribe = shardedOrClassic(
        false,
        (channel) => sub.sSubscribe(channel, listener),
        (channel) => sub.subscribe(channel, listener),
      );
      return {
        async subscribe(channel) {
          await connected;
          await subscribe(channel);
        },
        close: (deadlineMs) =>
          closeWithin(
            deadlineMs,
            () => sub.close(),
            () => sub.destroy(),
          ),
      };
    },
  };
}

/** The parts of a node-redis cluster's internals a slot-map refresh needs (not typed by it). */
interface NodeRedisClusterInternals {
  _slots?: {
    masters?: Array<{ client?: unknown }>;
    rediscover?: (startWith: unknown) => Promise<void>;
  };
}

function nodeRedisClusterAdapter(client: NodeRedisClusterLike): RedisAdapter {
  // node-redis queues a command for a dead master until it reconnects and re-reads the
  // slot map only on MOVED/ASK, which a promoted replica never gets the chance to send:
  // after a failover every command of that slot waits forever. Its `rediscover` (what it
  // runs on MOVED) re-reads the map from a live node; it is internal, so it is looked up
  // defensively and a client without it simply keeps its own behaviour.
  const slots = (client as unknown as NodeRedisClusterInternals)._slots;
  const rediscover = slots?.rediscover;
  return {
    kind: 'node-redis cluster',
    cluster: true,
    send: (key, args) => client.sendCommand(key, false, args.map(String)),
    ...(typeof rediscover === 'function'
      ? {
          refresh: async () => {
            // Any node's connection starts the discovery; a dead one falls back to the
            // root nodes, each tried once without reconnecting.
            const start = slots?.masters?.find((m) => m.client !== undefined)?.client;
            if (start !== undefined) await rediscover.call(slots, start);
          },
        }
      : {}),
    openPubSub(events) {
      // The cluster keeps one sharded pub/sub connection per master apart from its command
      // connections, and moves subscriptions with the slots; the store only adds listeners.
      const listener: NodeRedisListener = (_message, channel) => events.message(channel);
      const channels = new Set<string>();
      let hasSharded = true;
      return {
        async subscribe(channel) {
          if (!hasSharded) throw new Error(NO_SHARDED);
          try {
            await client.sSubscribe(channel, listener);
            channels.add(channel);
          } catch (error) {
            if (isUnknownCommand(error)) hasSharded = false;
            throw hasSharded ? error : new Error(NO_SHARDED);
          }
        },
        close: (deadlineMs) =>
          closeWithin(
            deadlineMs,
            () => Promise.all([...channels].map((c) => client.sUnsubscribe(c, listener))),
            () => {},
          ),
      };
    },
  };
}
