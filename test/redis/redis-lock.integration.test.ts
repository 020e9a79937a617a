// The store's "who issues next" lock: SET NX PX with a random owner, released only by
// its owner (compare-and-delete), expiring on its own so a crashed holder cannot block.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import { RedisTokenStore } from '../../src/redis/index.js';
import { useRedis } from './helpers/fixture.js';
import { requireRedisServer } from './redis-server.js';

const binary = requireRedisServer('RedisTokenStore lock');

if (binary !== undefined) {
  describe('RedisTokenStore lock', () => {
    const f = useRedis(binary);

    test('only one holder at a time; release lets the next one in', async () => {
      const a = f.store();
      const b = new RedisTokenStore({ client: f.client(), prefix: a.prefix });
      const lock = await a.acquireLock('k', 5_000);
      assert.ok(lock, 'the first caller gets the lock');
      assert.equal(await b.acquireLock('k', 5_000), undefined, 'a second caller does not');
      await lock.release();
      const next = await b.acquireLock('k', 5_000);
      assert.ok(next, 'after release the lock is free');
      await next.release();
    });

    test('the lock key carries the TTL (the crash timeout) and a random owner value', async () => {
      const s = f.store();
      const lock = await s.acquireLock('k', 3_000);
      assert.ok(lock);
      const lockKey = `${s.prefix}:{k}:lock`;
      const pttl = await f.raw.pttl(lockKey);
      assert.ok(pttl > 0 && pttl <= 3_000, `lock PTTL ${pttl}`);
      const owner = await f.raw.get(lockKey);
      assert.match(owner ?? '', /^[0-9a-f-]{36}$/);
      await lock.release();
      assert.equal(await f.raw.exists(lockKey), 0);
    });

    test('a holder whose lock expired cannot release the next holder’s lock', async () => {
      const s = f.store();
      const stale = await s.acquireLock('k', 5_000);
      assert.ok(stale);
      // Stand-in for the TTL running out while the first holder was stuck.
      await f.raw.del(`${s.prefix}:{k}:lock`);
      const current = await s.acquireLock('k', 5_000);
      assert.ok(current);
      await stale.release();
      assert.equal(
        await f.raw.exists(`${s.prefix}:{k}:lock`),
        1,
        'the current holder keeps its lock',
      );
      assert.equal(await s.acquireLock('k', 5_000), undefined);
      await current.release();
      assert.equal(await f.raw.exists(`${s.prefix}:{k}:lock`), 0);
    });

    test('releasing twice is a no-op', async () => {
      const s = f.store();
      const lock = await s.acquireLock('k', 5_000);
      assert.ok(lock);
      await lock.release();
      const other = await s.acquireLock('k', 5_000);
      assert.ok(other);
      await lock.release();
      assert.equal(await f.raw.exists(`${s.prefix}:{k}:lock`), 1);
      await other.release();
    });

    test('a lock TTL must be positive', async () => {
      await assert.rejects(f.store().acquireLock('k', 0), InvalidArgumentError);
    });
  });
}
