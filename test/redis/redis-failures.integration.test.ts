// Failures become TokenStoreErrors with safe messages: corrupt values, failing commands,
// an unreachable Redis (fast, no password shown) and a restarted one.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { TokenStoreError } from '../../src/errors.js';
import type { StoredToken } from '../../src/manager/store.js';
import { RedisTokenStore, type RedisClientLike } from '../../src/redis/index.js';
import { assertNoSecret, TOKEN, useRedis } from './helpers/fixture.js';
import { freePort, requireRedisServer, startRedisServer } from './redis-server.js';
import { defer } from '../fixtures.js';

const binary = requireRedisServer('RedisTokenStore failures');

if (binary !== undefined) {
  describe('RedisTokenStore failures', () => {
    const f = useRedis(binary);

    test('corrupt values are TokenStoreErrors', async () => {
      const s = f.store();
      await f.raw.set(`${s.prefix}:{k}`, '{not json');
      await assert.rejects(s.get('k'), /is not JSON/);
      await f.raw.set(`${s.prefix}:{k}`, JSON.stringify({ accessToken: 'x', expiresAt: 'soon' }));
      await assert.rejects(s.get('k'), /is not a stored token/);
      await f.raw.set(`${s.prefix}:{k}`, JSON.stringify({ ...TOKEN, refreshAt: 'later' }));
      await assert.rejects(s.get('k'), /is not a stored token/);
    });

    test('a failing command (wrong type) is a TokenStoreError naming what was attempted', async () => {
      const s = f.store();
      await f.raw.hset(`${s.prefix}:{k}`, 'field', 'value');
      await assert.rejects(s.get('k'), (err: unknown) => {
        assert.ok(err instanceof TokenStoreError);
        assert.match(err.message, /Redis store could not read ".*:\{k\}": WRONGTYPE/);
        return true;
      });
    });

    test('failover errors (CLUSTERDOWN, a closed connection) are retried within the deadline', async () => {
      const real = f.client();
      // The real connection, with failures forced exactly: the first two commands meet
      // the errors a cluster shows while a replica takes over.
      const faults = [
        new Error('CLUSTERDOWN The cluster is down'),
        new Error('Connection is closed.'),
      ];
      const sent: string[] = [];
      const flaky: RedisClientLike = {
        call: (command, ...args) => {
          sent.push(command);
          const fault = faults.shift();
          return fault ? Promise.reject(fault) : real.call(command, ...args);
        },
        duplicate: () => real.duplicate(),
      };
      const s = new RedisTokenStore({ client: flaky, prefix: f.uniquePrefix() });
      await s.set('k', TOKEN, 10_000);
      assert.deepEqual(sent, ['EVAL', 'EVAL', 'EVAL'], 'two failed attempts, then the write');
      assert.deepEqual(await s.get('k'), TOKEN);
    });

    test('a failover that outlasts commandTimeoutMs is a TokenStoreError', async () => {
      const down: RedisClientLike = {
        call: () => Promise.reject(new Error('CLUSTERDOWN Hash slot not served')),
        duplicate: () => f.client(),
      };
      const s = new RedisTokenStore({
        client: down,
        prefix: f.uniquePrefix(),
        commandTimeoutMs: 300,
      });
      await assert.rejects(s.get('k'), (err: unknown) => {
        assert.ok(err instanceof TokenStoreError);
        assert.match(err.message, /could not read ".*": (CLUSTERDOWN|no answer within 300 ms)/);
        return true;
      });
    });

    test('an unreachable Redis fails fast with no password in the error', async () => {
      const port = await freePort();
      const c = new Redis(`redis://:hunter2-password@127.0.0.1:${port}`, {
        maxRetriesPerRequest: null,
        retryStrategy: () => 50,
      });
      f.track(c);
      c.on('error', () => {});
      const s = new RedisTokenStore({ client: c, commandTimeoutMs: 100 });
      for (const attempt of [
        () => s.get('k'),
        () => s.set('k', TOKEN, 1_000),
        () => s.acquireLock('k', 1_000),
      ]) {
        const err = await attempt().then(
          () => assert.fail('an unreachable Redis cannot succeed'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof TokenStoreError);
        assert.match(err.message, /no answer within 100 ms \(is Redis reachable\?\)/);
        assert.ok(!inspect(err).includes('hunter2'));
        assertNoSecret(err);
      }
    });

    test('a client error is reported without its URL credentials', async () => {
      const failing: RedisClientLike = {
        call: () =>
          Promise.reject(new Error('connect to redis://admin:pa55word@10.0.0.1:6379 refused')),
        duplicate: () => {
          throw new Error('unused');
        },
      };
      const err = await new RedisTokenStore({ client: failing }).get('k').then(
        () => assert.fail('must reject'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof TokenStoreError);
      assert.ok(!err.message.includes('pa55word'), err.message);
      assert.match(err.message, /redis:\/\/\*\*\*@10\.0\.0\.1/);
    });

    test("a client error's cause chain keeps no URL credentials", async () => {
      // A client whose own error text quotes its connection URL, with a nested cause and an
      // AggregateError (a cluster client's shape) doing the same.
      const nested = new Error('dial rediss://app:inner-s3cret@cache.internal:6380 failed');
      const aggregate = new AggregateError(
        [new Error('node redis://:agg-s3cret@10.0.0.2:6379 down')],
        'all nodes failed',
      );
      const raw = Object.assign(
        new Error('connect to redis://admin:pa55word@10.0.0.1:6379 refused', { cause: nested }),
        { code: 'ECONNREFUSED' },
      );
      const faults: Error[] = [raw, aggregate];
      const failing: RedisClientLike = {
        call: () => Promise.reject(faults.shift() ?? new Error('unused')),
        duplicate: () => {
          throw new Error('unused');
        },
      };
      const store = new RedisTokenStore({ client: failing });
      for (const secret of [['pa55word', 'inner-s3cret'], ['agg-s3cret']]) {
        const err = await store.get('k').then(
          () => assert.fail('must reject'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof TokenStoreError);
        const cause = err.cause as Error & { code?: string };
        const chain = [
          cause.message,
          cause.stack,
          (cause.cause as Error | undefined)?.message,
          (cause.cause as Error | undefined)?.stack,
          ...(cause instanceof AggregateError
            ? cause.errors.flatMap((e: Error) => [e.message, e.stack])
            : []),
        ].join('\n');
        for (const s of secret) assert.ok(!chain.includes(s), `${s} leaked: ${chain}`);
        assert.match(chain, /redis:\/\/\[REDACTED\]@10\.0\.0\.[12]:6379/, 'the host is kept');
      }
      assert.equal(raw.code, 'ECONNREFUSED', 'the cause keeps its code');
    });

    test('a restarted Redis is used again once it is back', async (t) => {
      const own = await startRedisServer(binary);
      const c = new Redis(own.url, { maxRetriesPerRequest: null, retryStrategy: () => 20 });
      c.on('error', () => {});
      const s = new RedisTokenStore({ client: c, commandTimeoutMs: 200 });
      defer(t, async () => {
        await s.close();
        c.disconnect();
        await own.close();
      });
      await s.set('k', TOKEN, 60_000);
      await own.stop();
      await assert.rejects(s.get('k'), TokenStoreError);
      await own.start();
      // A fresh server (no persistence): the key is gone, but the store works again.
      let value: StoredToken | undefined | 'failed' = 'failed';
      while (value === 'failed') value = await s.get('k').catch(() => 'failed' as const);
      assert.equal(value, undefined);
      await s.set('k', TOKEN, 60_000);
      assert.deepEqual(await s.get('k'), TOKEN);
    });
  });
}
