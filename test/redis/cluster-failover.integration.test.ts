// A store's reads and writes reach the promoted master after a failover of the master that
// owns the key's slot (SIGKILL, then CLUSTER FAILOVER TAKEOVER on its replica), on both
// clients' cluster modes. node-redis `createCluster` queues a command for the dead node and
// re-reads the slot map only on MOVED/ASK, so without help the store's retries never see
// an error: the store refreshes its slot map when an attempt stalls.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Cluster } from 'ioredis';
import { createCluster } from 'redis';
import type { StoredToken } from '../../src/manager/store.js';
import { RedisTokenStore, type RedisClient } from '../../src/redis/index.js';
import { requireRedisCluster, startRedisCluster, type RedisCluster } from './redis-cluster.js';
import { defer } from '../fixtures.js';

const bin = requireRedisCluster('store failover on Redis Cluster');
const COMMAND_TIMEOUT_MS = 10_000;

const token = (n: number): StoredToken => ({
  accessToken: `token-${n}`,
  issuedAt: Date.now(),
  expiresAt: Date.now() + 3_600_000,
  type: 'v2.1',
});

if (bin !== undefined) {
  describe('a store on Redis Cluster through a failover of its slot', () => {
    let cluster: RedisCluster;
    before(async () => {
      cluster = await startRedisCluster(bin);
    });
    after(async () => {
      await cluster?.close();
    });

    const clients: Array<[string, () => Promise<{ client: RedisClient; close: () => unknown }>]> = [
      [
        'node-redis createCluster',
        async () => {
          const c = createCluster({
            rootNodes: cluster.nodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
          });
          c.on('error', () => {});
          await c.connect();
          return { client: c, close: () => c.destroy() };
        },
      ],
      [
        'ioredis Cluster',
        async () => {
          const c = new Cluster(cluster.nodes, {
            retryDelayOnFailover: 50,
            retryDelayOnClusterDown: 50,
            clusterRetryStrategy: () => 50,
          });
          c.on('error', () => {});
          await c.ping();
          return { client: c, close: () => c.disconnect() };
        },
      ],
    ];
    // A killed master is not restarted, so its promoted replica has none: each test fails
    // over a shard not failed over before.
    const spent = new Set<number>();
    async function keyOnFreshShard(prefix: string): Promise<string> {
      for (let i = 0; ; i++) {
        const master = await cluster.masterOf(`${prefix}:{k${i}}`);
        if (!spent.has(master)) return `k${i}`;
      }
    }

    for (const [name, connect] of clients) {
      test(`${name}: get and set reach the promoted master within commandTimeoutMs`, async (t) => {
        const { client, close } = await connect();
        const prefix = `failover-${name.split(' ')[0]}`;
        const store = new RedisTokenStore({
          client,
          prefix,
          commandTimeoutMs: COMMAND_TIMEOUT_MS,
          subscribe: false,
        });
        const k = await keyOnFreshShard(prefix);
        const slotKey = `${prefix}:{${k}}`;
        defer(t, async () => {
          await store.close();
          await close();
        });
        await store.set(k, token(1), 60_000);
        const failover = await cluster.failover(slotKey);
        spent.add(failover.killedPort).add(failover.promotedPort);
        const read = await store.get(k);
        const readMs = performance.now() - failover.promotedAt;
        // Whether the write reached the replica before the kill is replication's luck;
        // what matters is that the store answers, from the promoted master.
        assert.ok(read === undefined || read.accessToken === 'token-1');
        await store.set(k, token(2), 60_000);
        assert.equal((await store.get(k))?.accessToken, 'token-2');
        assert.equal(await cluster.masterOf(slotKey), failover.promotedPort);
        t.diagnostic(`${name}: first read answered ${Math.round(readMs)} ms after promotion`);
      });
    }
  });
}
