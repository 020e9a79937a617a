// The store on every client shape it accepts, against real servers: ioredis and node-redis
// (v5), each on a single redis-server and on a 3-master/3-replica Redis Cluster. The same
// contract for all four: round trip with a TTL, the lock, notifications that wake a waiter
// that never polls (so sharded pub/sub really works in the cluster), and close().
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import type { RedisClient } from '../../src/redis/index.js';
import { RedisTokenStore } from '../../src/redis/index.js';
import { TOKEN } from './helpers/fixture.js';
import { requireRedisCluster, startRedisCluster, type RedisCluster } from './redis-cluster.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { defer } from '../fixtures.js';

// Compile-time proof that every client is accepted as is, without a cast.
export function acceptsEveryClient(
  ioredis: Redis,
  ioredisCluster: Cluster,
  nodeRedis: ReturnType<typeof createClient>,
  nodeRedisCluster: ReturnType<typeof createCluster>,
): RedisClient[] {
  return [ioredis, ioredisCluster, nodeRedis, nodeRedisCluster];
}

const bin = requireRedisCluster('RedisTokenStore on every client');
// Long enough never to fire: a waiter that wakes did so on a notification.
const NO_POLL = 2_147_483_647;
const HANG_GUARD = { timeout: 60_000 };

interface Shape {
  name: string;
  /** A connected client, and how to close it. */
  connect(): Promise<{ client: RedisClient; close(): Promise<void> }>;
  /** Every node to ask PUBSUB SHARDNUMSUB. */
  ports(): number[];
}

if (bin !== undefined) {
  describe('RedisTokenStore on every client', () => {
    let single: RedisServer;
    let cluster: RedisCluster;
    before(async () => {
      [single, cluster] = await Promise.all([startRedisServer(bin.server), startRedisCluster(bin)]);
    });
    after(async () => {
      await Promise.all([single?.close(), cluster?.close()]);
    });

    const shapes: Shape[] = [
      {
        name: 'ioredis on a single node',
        async connect() {
          const c = new Redis(single.url);
          return { client: c, close: async () => c.disconnect() };
        },
        ports: () => [single.port],
      },
      {
        name: 'node-redis on a single node',
        async connect() {
          const c = createClient({ url: single.url });
          c.on('error', () => {});
          await c.connect();
          return { client: c, close: async () => c.destroy() };
        },
        ports: () => [single.port],
      },
      {
        name: 'ioredis Cluster',
        async connect() {
          const c = new Cluster(cluster.nodes);
          c.on('error', () => {});
          return { client: c, close: async () => c.disconnect() };
        },
        ports: () => cluster.nodes.map((n) => n.port),
      },
      {
        name: 'node-redis cluster',
        async connect() {
          const c = createCluster({
            rootNodes: cluster.nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
          });
          c.on('error', () => {});
          await c.connect();
          return { client: c, close: async () => c.destroy() };
        },
        ports: () => cluster.nodes.map((n) => n.port),
      },
    ];

    /** Resolves once `count` connections, on any node, listen on the sharded `channel`. */
    async function subscribers(shape: Shape, channel: string, count: number): Promise<void> {
      for (;;) {
        let n = 0;
        for (const port of shape.ports()) {
          const c = new Redis({ port, host: '127.0.0.1' });
          try {
            n += ((await c.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1];
          } finally {
            c.disconnect();
          }
        }
        if (n === count) return;
        await new Promise((r) => setTimeout(r, 10));
      }
    }

    let n = 0;
    for (const shape of shapes) {
      describe(shape.name, () => {
        test('set, get and delete round-trip with a PX TTL', HANG_GUARD, async (t) => {
          const { client, close } = await shape.connect();
          const store = new RedisTokenStore({ client, prefix: `c${++n}` });
          defer(t, async () => {
            await store.close();
            await close();
          });
          await store.set('v2.1:1', TOKEN, 60_000);
          assert.deepEqual(await store.get('v2.1:1'), TOKEN);
          await store.delete('v2.1:1');
          assert.equal(await store.get('v2.1:1'), undefined);
        });

        test(
          "now() is Redis's own clock (TIME), read between two TIMEs of the test",
          HANG_GUARD,
          async (t) => {
            const { client, close } = await shape.connect();
            const store = new RedisTokenStore({ client, prefix: `c${++n}` });
            const direct = new Redis({ port: shape.ports()[0]!, host: '127.0.0.1' });
            // Any node's TIME brackets it: the servers of one test share this machine's clock.
            const time = async (): Promise<number> => {
              const [sec, micros] = (await direct.call('TIME')) as [string, string];
              return Number(sec) * 1000 + Math.floor(Number(micros) / 1000);
            };
            defer(t, async () => {
              direct.disconnect();
              await store.close();
              await close();
            });
            const before = await time();
            const now = await store.now!();
            const after = await time();
            assert.ok(before <= now && now <= after, `${before} <= ${now} <= ${after}`);
          },
        );

        test('one holder at a time; release frees the lock', HANG_GUARD, async (t) => {
          const { client, close } = await shape.connect();
          const store = new RedisTokenStore({ client, prefix: `c${++n}` });
          defer(t, async () => {
            await store.close();
            await close();
          });
          const first = await store.acquireLock('k', 30_000);
          assert.ok(first, 'the first taker holds the lock');
          assert.equal(await store.acquireLock('k', 30_000), undefined);
          await first.release();
          const second = await store.acquireLock('k', 30_000);
          assert.ok(second, 'released: the next taker holds it');
          await second.release();
        });

        test(
          'a write wakes a waiter that never polls; close() unsubscribes',
          HANG_GUARD,
          async (t) => {
            const a = await shape.connect();
            const b = await shape.connect();
            const prefix = `c${++n}`;
            const waiter = new RedisTokenStore({
              client: a.client,
              prefix,
              pollIntervalMs: NO_POLL,
            });
            const writer = new RedisTokenStore({ client: b.client, prefix });
            defer(t, async () => {
              await waiter.close();
              await writer.close();
              await a.close();
              await b.close();
            });
            await waiter.get('k');
            const woke = waiter.waitForChange('k', NO_POLL);
            await subscribers(shape, `${prefix}:{k}`, 1);
            await writer.set('k', TOKEN, 60_000);
            await woke;
            assert.deepEqual(await waiter.get('k'), TOKEN);
            await waiter.close();
            await subscribers(shape, `${prefix}:{k}`, 0);
          },
        );
      });
    }

    test('an entry lives in one cluster slot: value, lock and channel share the hash tag', async (t) => {
      const c = new Cluster(cluster.nodes);
      const store = new RedisTokenStore({ client: c, prefix: 'slots' });
      defer(t, async () => {
        await store.close();
        c.disconnect();
      });
      await store.set('v2.1:1234567890', TOKEN, 60_000);
      const lock = await store.acquireLock('v2.1:1234567890', 30_000);
      const value = 'slots:{v2.1:1234567890}';
      const slots = await Promise.all(
        [value, `${value}:lock`].map((k) => c.call('CLUSTER', 'KEYSLOT', k)),
      );
      assert.equal(slots[0], slots[1]);
      assert.equal(
        await c.exists(value, `${value}:lock`),
        2,
        'one EXISTS over both keys: no CROSSSLOT',
      );
      await lock!.release();
    });
  });
}
