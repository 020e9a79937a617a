// waitForChange: pub/sub on a duplicated connection wakes waiters on a write or a
// release; polling backs it up; timeouts, aborts and close() end the wait.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RedisTokenStore, type RedisClientLike } from '../../src/redis/index.js';
import { Redis } from 'ioredis';
import { TOKEN, useRedis } from './helpers/fixture.js';
import { requireRedisServer, startRedisServer } from './redis-server.js';
import { defer } from '../fixtures.js';

const binary = requireRedisServer('RedisTokenStore waitForChange');

if (binary !== undefined) {
  describe('RedisTokenStore waitForChange', { timeout: 120_000 }, () => {
    const f = useRedis(binary);

    // Polling is pushed far out in these tests, so only pub/sub can wake the waiter; if
    // it did not, the wait would hang until the suite's hang guard fails it.
    const NO_POLL = 600_000;
    const LONG = 600_000;

    test('wakes on a write from another connection via pub/sub', async () => {
      const waiter = f.store({ pollIntervalMs: NO_POLL });
      const writer = new RedisTokenStore({ client: f.client(), prefix: waiter.prefix });
      assert.equal(await waiter.get('k'), undefined);
      const woke = waiter.waitForChange('k', LONG);
      // Wait until the subscription is live, so the write cannot land before it.
      await f.subscribers(`${waiter.prefix}:{k}`);
      await writer.set('k', TOKEN, 10_000);
      await woke;
      assert.deepEqual(await waiter.get('k'), TOKEN);
    });

    test('a write that lands between get() and the wait is not missed', async () => {
      const waiter = f.store({ pollIntervalMs: NO_POLL });
      const writer = new RedisTokenStore({ client: f.client(), prefix: waiter.prefix });
      assert.equal(await waiter.get('k'), undefined);
      await writer.set('k', TOKEN, 10_000);
      await waiter.waitForChange('k', LONG);
      assert.deepEqual(await waiter.get('k'), TOKEN);
    });

    test('wakes when the lock holder releases without writing', async () => {
      const waiter = f.store({ pollIntervalMs: NO_POLL });
      const holder = new RedisTokenStore({ client: f.client(), prefix: waiter.prefix });
      const lock = await holder.acquireLock('k', 60_000);
      assert.ok(lock);
      await waiter.get('k');
      const woke = waiter.waitForChange('k', LONG);
      await f.subscribers(`${waiter.prefix}:{k}`);
      await lock.release();
      await woke;
      assert.ok(await waiter.acquireLock('k', 1_000), 'the waiter can now take the lock');
    });

    test('falls back to polling when pub/sub cannot be set up, and says so', async () => {
      const warnings: string[] = [];
      const c = f.client();
      const noPubSub: RedisClientLike = {
        call: (command, ...args) => c.call(command, ...args),
        duplicate: () => {
          throw new Error('pub/sub disabled by the test');
        },
      };
      const waiter = new RedisTokenStore({
        client: noPubSub,
        prefix: f.uniquePrefix(),
        pollIntervalMs: 10,
        onWarning: (m) => warnings.push(m),
      });
      const writer = new RedisTokenStore({ client: f.client(), prefix: waiter.prefix });
      await waiter.get('k');
      const woke = waiter.waitForChange('k', LONG);
      await new Promise((r) => setImmediate(r));
      await writer.set('k', TOKEN, 10_000);
      await woke;
      assert.deepEqual(await waiter.get('k'), TOKEN);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /pub\/sub unavailable.*falls back to polling/);
    });

    test('subscribe: false polls only and never opens a second connection', async () => {
      const c = f.client();
      let duplicated = 0;
      const counting: RedisClientLike = {
        call: (command, ...args) => c.call(command, ...args),
        duplicate: () => {
          duplicated++;
          return c.duplicate();
        },
      };
      const waiter = new RedisTokenStore({
        client: counting,
        prefix: f.uniquePrefix(),
        subscribe: false,
        pollIntervalMs: 10,
      });
      const writer = new RedisTokenStore({ client: f.client(), prefix: waiter.prefix });
      await waiter.get('k');
      const woke = waiter.waitForChange('k', LONG);
      await writer.set('k', TOKEN, 10_000);
      await woke;
      assert.equal(duplicated, 0);
    });

    test('resolves on timeout when nothing changes, and at once on an aborted signal', async () => {
      const s = f.store({ pollIntervalMs: NO_POLL });
      await s.get('k');
      await s.waitForChange('k', 1);
      const controller = new AbortController();
      const waiting = s.waitForChange('k', LONG, controller.signal);
      controller.abort();
      await waiting;
      await s.waitForChange('k', LONG, AbortSignal.abort());
      assert.equal(await s.get('k'), undefined, 'nothing was written');
    });

    test('close() wakes waiters and closes the pub/sub connection', async () => {
      const s = f.store({ pollIntervalMs: NO_POLL });
      await s.get('k');
      const waiting = s.waitForChange('k', LONG);
      await new Promise((r) => setTimeout(r, 0));
      await f.subscribers(`${s.prefix}:{k}`);
      await s.close();
      await waiting;
      const subscribers = (await f.raw.call('PUBSUB', 'SHARDNUMSUB', `${s.prefix}:{k}`)) as [
        string,
        number,
      ];
      assert.equal(subscribers[1], 0);
    });
    test('pub/sub comes back after a Redis restart, with one warning per outage', async (t) => {
      const own = await startRedisServer(binary);
      const connect = (): Redis => {
        const c = f.track(
          new Redis(own.url, { retryStrategy: () => 20, maxRetriesPerRequest: null }),
        );
        c.on('error', () => {});
        return c;
      };
      const warnings: string[] = [];
      const prefix = f.uniquePrefix();
      const waiter = f.track(
        new RedisTokenStore({
          client: connect(),
          prefix,
          pollIntervalMs: NO_POLL,
          onWarning: (m) => warnings.push(m),
        }),
      );
      const probe = connect();
      const writer = new RedisTokenStore({ client: probe, prefix });
      const listening = async (): Promise<void> => {
        for (;;) {
          const [, n] = (await probe.call('PUBSUB', 'SHARDNUMSUB', `${prefix}:{k}`)) as [
            string,
            number,
          ];
          if (n >= 1) return;
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      const warned = async (count: number): Promise<void> => {
        while (warnings.length < count) await new Promise((r) => setTimeout(r, 5));
      };
      defer(t, () => own.close());
      for (const outage of [1, 2]) {
        await waiter.get('k');
        const woke = waiter.waitForChange('k', LONG);
        await listening();
        await writer.set('k', { ...TOKEN, issuedAt: TOKEN.issuedAt + outage }, 10_000);
        await woke;
        await own.stop();
        await warned(outage);
        await own.start();
      }
      // Resubscribed after the second restart: a write still wakes a pub/sub-only waiter.
      await waiter.get('k');
      const woke = waiter.waitForChange('k', LONG);
      await listening();
      await writer.set('k', TOKEN, 10_000);
      await woke;
      assert.equal(warnings.length, 2, 'one warning per outage, not one per reconnect attempt');
      assert.match(warnings[0]!, /pub\/sub connection error .*polling until it recovers/);
    });
  });
}
