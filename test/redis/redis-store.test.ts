// The Redis store against a real redis-server: namespacing, TTLs, the owner-checked
// lock, pub/sub wake-ups with polling behind them, encryption at rest and clean errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { InvalidArgumentError, TokenStoreError } from '../../src/errors.js';
import type { StoredToken } from '../../src/manager/store.js';
import {
  DEFAULT_REDIS_PREFIX,
  RedisTokenStore,
  type RedisClientLike,
} from '../../src/redis/index.js';
import {
  freePort,
  requireRedisServer,
  startRedisServer,
  type RedisServer,
} from './redis-server.js';

// Compile-time proof that an ioredis instance is accepted as is.
export function acceptsIoredis(client: Redis): RedisClientLike {
  return client;
}

const binary = requireRedisServer('RedisTokenStore');

const TOKEN: StoredToken = {
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.secret-token-value.sig',
  expiresAt: 1_700_000_900_000,
  issuedAt: 1_700_000_000_000,
  keyId: 'key-id-22-characters-x',
  type: 'v2.1',
  refreshAt: 1_700_000_700_000,
};
const KEY = new Uint8Array(32).map((_, i) => i + 1);
const OTHER_KEY = new Uint8Array(32).map((_, i) => 200 - i);

if (binary !== undefined) {
  describe('RedisTokenStore', () => {
    let server: RedisServer;
    const clients: Redis[] = [];
    const stores: RedisTokenStore[] = [];
    let raw: Redis;
    let n = 0;
    const uniquePrefix = (): string => `t${++n}`;
    const client = (): Redis => {
      const c = new Redis(server.url);
      clients.push(c);
      return c;
    };
    const store = (options: Partial<ConstructorParameters<typeof RedisTokenStore>[0]> = {}) => {
      const s = new RedisTokenStore({ client: client(), prefix: uniquePrefix(), ...options });
      stores.push(s);
      return s;
    };

    before(async () => {
      server = await startRedisServer(binary);
      raw = client();
    });
    after(async () => {
      await Promise.all(stores.map((s) => s.close()));
      for (const c of clients) c.disconnect();
      await server.close();
    });

    test('a missing key reads as undefined', async () => {
      assert.equal(await store().get('nothing-here'), undefined);
    });

    test('set then get round-trips every field under <prefix>:<key> with a PX TTL', async () => {
      const s = store();
      await s.set('v2.1:123', TOKEN, 60_000);
      assert.deepEqual(await s.get('v2.1:123'), TOKEN);
      const pttl = await raw.pttl(`${s.prefix}:v2.1:123`);
      assert.ok(pttl > 0 && pttl <= 60_000, `PTTL ${pttl} should be within the TTL given`);
    });

    test('the default prefix is line-token', async () => {
      const s = new RedisTokenStore({ client: client() });
      stores.push(s);
      assert.equal(s.prefix, DEFAULT_REDIS_PREFIX);
      await s.set('default-prefix-check', TOKEN, 10_000);
      assert.equal(await raw.exists('line-token:default-prefix-check'), 1);
      await s.delete('default-prefix-check');
    });

    test('a token without keyId or refreshAt round-trips without them', async () => {
      const s = store();
      const { keyId: _keyId, refreshAt: _refreshAt, ...bare } = TOKEN;
      await s.set('k', bare, 10_000);
      const back = await s.get('k');
      assert.deepEqual(back, bare);
      assert.equal(Object.hasOwn(back!, 'keyId'), false);
      assert.equal(Object.hasOwn(back!, 'refreshAt'), false);
    });

    test('only the StoredToken fields are stored', async () => {
      const s = store();
      await s.set('k', { ...TOKEN, extra: 'not stored' } as StoredToken, 10_000);
      assert.deepEqual(await s.get('k'), TOKEN);
      assert.ok(!(await raw.get(`${s.prefix}:k`))!.includes('not stored'));
    });

    test('a zero or negative TTL deletes instead of storing an expired token', async () => {
      const s = store();
      await s.set('k', TOKEN, 10_000);
      await s.set('k', TOKEN, 0);
      assert.equal(await s.get('k'), undefined);
      await s.set('k', TOKEN, -5);
      assert.equal(await raw.exists(`${s.prefix}:k`), 0);
    });

    test('a fractional TTL is rounded up and a non-finite one is refused', async () => {
      const s = store();
      await s.set('k', TOKEN, 0.2);
      assert.ok((await raw.pttl(`${s.prefix}:k`)) >= 0);
      await assert.rejects(s.set('k', TOKEN, Number.NaN), InvalidArgumentError);
      await assert.rejects(s.set('k', TOKEN, Infinity), /"ttlMs" must be a finite number/);
    });

    test('delete removes the key', async () => {
      const s = store();
      await s.set('k', TOKEN, 10_000);
      await s.delete('k');
      assert.equal(await s.get('k'), undefined);
    });

    test('stores with different prefixes do not see each other', async () => {
      const c = client();
      const a = new RedisTokenStore({ client: c, prefix: uniquePrefix() });
      const b = new RedisTokenStore({ client: c, prefix: uniquePrefix() });
      await a.set('same', TOKEN, 10_000);
      assert.equal(await b.get('same'), undefined);
    });

    test('an empty key is refused', async () => {
      await assert.rejects(store().get(''), InvalidArgumentError);
    });

    describe('options', () => {
      test('bad options are refused at construction, quoting the option', () => {
        const c = client();
        assert.throws(
          () => new RedisTokenStore({ client: {} as RedisClientLike }),
          /"client" option/,
        );
        assert.throws(() => new RedisTokenStore({ client: c, prefix: '' }), /"prefix" option/);
        assert.throws(
          () => new RedisTokenStore({ client: c, commandTimeoutMs: 0 }),
          /"commandTimeoutMs" option must be a positive integer/,
        );
        assert.throws(
          () => new RedisTokenStore({ client: c, pollIntervalMs: 1.5 }),
          /"pollIntervalMs" option must be a positive integer/,
        );
      });

      test('an encryption key must be 32 bytes, as bytes or base64', () => {
        const c = client();
        assert.throws(
          () => new RedisTokenStore({ client: c, encryptionKey: new Uint8Array(16) }),
          (err: unknown) =>
            err instanceof InvalidArgumentError &&
            err.argument === 'encryptionKey' &&
            /exactly 32 bytes for AES-256-GCM, got 16/.test(err.message),
        );
        assert.throws(
          () => new RedisTokenStore({ client: c, encryptionKey: 'not base64 at all!' }),
          /not base64/,
        );
        assert.throws(
          () =>
            new RedisTokenStore({
              client: c,
              encryptionKey: Buffer.from(KEY).toString('base64').slice(8),
            }),
          /exactly 32 bytes/,
        );
        const s = new RedisTokenStore({
          client: c,
          encryptionKey: Buffer.from(KEY).toString('base64'),
        });
        assert.equal(s.encrypted, true);
      });
    });

    describe('lock', () => {
      test('only one holder at a time; release lets the next one in', async () => {
        const a = store();
        const b = new RedisTokenStore({ client: client(), prefix: a.prefix });
        const lock = await a.acquireLock('k', 5_000);
        assert.ok(lock, 'the first caller gets the lock');
        assert.equal(await b.acquireLock('k', 5_000), undefined, 'a second caller does not');
        await lock.release();
        const next = await b.acquireLock('k', 5_000);
        assert.ok(next, 'after release the lock is free');
        await next.release();
      });

      test('the lock key carries the TTL (the crash timeout) and a random owner value', async () => {
        const s = store();
        const lock = await s.acquireLock('k', 3_000);
        assert.ok(lock);
        const lockKey = `${s.prefix}:k:lock`;
        const pttl = await raw.pttl(lockKey);
        assert.ok(pttl > 0 && pttl <= 3_000, `lock PTTL ${pttl}`);
        const owner = await raw.get(lockKey);
        assert.match(owner ?? '', /^[0-9a-f-]{36}$/);
        await lock.release();
        assert.equal(await raw.exists(lockKey), 0);
      });

      test('a holder whose lock expired cannot release the next holder’s lock', async () => {
        const s = store();
        const stale = await s.acquireLock('k', 5_000);
        assert.ok(stale);
        // Stand-in for the TTL running out while the first holder was stuck.
        await raw.del(`${s.prefix}:k:lock`);
        const current = await s.acquireLock('k', 5_000);
        assert.ok(current);
        await stale.release();
        assert.equal(
          await raw.exists(`${s.prefix}:k:lock`),
          1,
          'the current holder keeps its lock',
        );
        assert.equal(await s.acquireLock('k', 5_000), undefined);
        await current.release();
        assert.equal(await raw.exists(`${s.prefix}:k:lock`), 0);
      });

      test('releasing twice is a no-op', async () => {
        const s = store();
        const lock = await s.acquireLock('k', 5_000);
        assert.ok(lock);
        await lock.release();
        const other = await s.acquireLock('k', 5_000);
        assert.ok(other);
        await lock.release();
        assert.equal(await raw.exists(`${s.prefix}:k:lock`), 1);
        await other.release();
      });

      test('a lock TTL must be positive', async () => {
        await assert.rejects(store().acquireLock('k', 0), InvalidArgumentError);
      });
    });

    describe('waitForChange', () => {
      // Polling is pushed far out in these tests, so only pub/sub can wake the waiter;
      // if it did not, the test would hang until node:test's timeout and fail.
      const NO_POLL = 600_000;
      const LONG = 600_000;

      test('wakes on a write from another connection via pub/sub', async () => {
        const waiter = store({ pollIntervalMs: NO_POLL });
        const writer = new RedisTokenStore({ client: client(), prefix: waiter.prefix });
        assert.equal(await waiter.get('k'), undefined);
        const woke = waiter.waitForChange('k', LONG);
        // Wait until the subscription is live, so the write cannot land before it.
        while (
          (await raw
            .call('PUBSUB', 'NUMSUB', `${waiter.prefix}:k`)
            .then((r) => (r as [string, number])[1])) < 1
        ) {
          await new Promise((r) => setImmediate(r));
        }
        await writer.set('k', TOKEN, 10_000);
        await woke;
        assert.deepEqual(await waiter.get('k'), TOKEN);
      });

      test('a write that lands between get() and the wait is not missed', async () => {
        const waiter = store({ pollIntervalMs: NO_POLL });
        const writer = new RedisTokenStore({ client: client(), prefix: waiter.prefix });
        assert.equal(await waiter.get('k'), undefined);
        await writer.set('k', TOKEN, 10_000);
        await waiter.waitForChange('k', LONG);
        assert.deepEqual(await waiter.get('k'), TOKEN);
      });

      test('wakes when the lock holder releases without writing', async () => {
        const waiter = store({ pollIntervalMs: NO_POLL });
        const holder = new RedisTokenStore({ client: client(), prefix: waiter.prefix });
        const lock = await holder.acquireLock('k', 60_000);
        assert.ok(lock);
        await waiter.get('k');
        const woke = waiter.waitForChange('k', LONG);
        while (
          (await raw
            .call('PUBSUB', 'NUMSUB', `${waiter.prefix}:k`)
            .then((r) => (r as [string, number])[1])) < 1
        ) {
          await new Promise((r) => setImmediate(r));
        }
        await lock.release();
        await woke;
        assert.ok(await waiter.acquireLock('k', 1_000), 'the waiter can now take the lock');
      });

      test('falls back to polling when pub/sub cannot be set up, and says so', async () => {
        const warnings: string[] = [];
        const c = client();
        const noPubSub: RedisClientLike = {
          call: (command, ...args) => c.call(command, ...args),
          duplicate: () => {
            throw new Error('pub/sub disabled by the test');
          },
        };
        const waiter = new RedisTokenStore({
          client: noPubSub,
          prefix: uniquePrefix(),
          pollIntervalMs: 10,
          onWarning: (m) => warnings.push(m),
        });
        const writer = new RedisTokenStore({ client: client(), prefix: waiter.prefix });
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
        const c = client();
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
          prefix: uniquePrefix(),
          subscribe: false,
          pollIntervalMs: 10,
        });
        const writer = new RedisTokenStore({ client: client(), prefix: waiter.prefix });
        await waiter.get('k');
        const woke = waiter.waitForChange('k', LONG);
        await writer.set('k', TOKEN, 10_000);
        await woke;
        assert.equal(duplicated, 0);
      });

      test('resolves on timeout when nothing changes, and at once on an aborted signal', async () => {
        const s = store({ pollIntervalMs: NO_POLL });
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
        const s = store({ pollIntervalMs: NO_POLL });
        await s.get('k');
        const waiting = s.waitForChange('k', LONG);
        await new Promise((r) => setTimeout(r, 0));
        while (
          (await raw
            .call('PUBSUB', 'NUMSUB', `${s.prefix}:k`)
            .then((r) => (r as [string, number])[1])) < 1
        ) {
          await new Promise((r) => setImmediate(r));
        }
        await s.close();
        await waiting;
        const subscribers = (await raw.call('PUBSUB', 'NUMSUB', `${s.prefix}:k`)) as [
          string,
          number,
        ];
        assert.equal(subscribers[1], 0);
      });
    });

    describe('encryption at rest', () => {
      test('values are sealed: the token is not in Redis, and reads back intact', async () => {
        const s = store({ encryptionKey: KEY });
        await s.set('k', TOKEN, 10_000);
        const stored = await raw.get(`${s.prefix}:k`);
        assert.ok(stored);
        assert.ok(!stored.includes(TOKEN.accessToken), 'no bearer token in the dump');
        assert.ok(!stored.includes('secret-token-value'));
        assert.match(stored, /^lt1\.[\w-]{16}\.[\w-]+$/);
        assert.deepEqual(await s.get('k'), TOKEN);
      });

      test('every write uses a fresh IV', async () => {
        const s = store({ encryptionKey: KEY });
        await s.set('k', TOKEN, 10_000);
        const first = await raw.get(`${s.prefix}:k`);
        await s.set('k', TOKEN, 10_000);
        const second = await raw.get(`${s.prefix}:k`);
        assert.notEqual(first, second);
      });

      test('a base64 key reads what the same key as bytes wrote', async () => {
        const a = store({ encryptionKey: KEY });
        const b = new RedisTokenStore({
          client: client(),
          prefix: a.prefix,
          encryptionKey: Buffer.from(KEY).toString('base64'),
        });
        await a.set('k', TOKEN, 10_000);
        assert.deepEqual(await b.get('k'), TOKEN);
      });

      test('a wrong key is a clear TokenStoreError with no token in it', async () => {
        const a = store({ encryptionKey: KEY });
        const b = new RedisTokenStore({
          client: client(),
          prefix: a.prefix,
          encryptionKey: OTHER_KEY,
        });
        await a.set('k', TOKEN, 10_000);
        const err = await b.get('k').then(
          () => assert.fail('a wrong key must not read'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof TokenStoreError);
        assert.equal(err.code, 'ERR_LINE_STORE');
        assert.match(
          err.message,
          /could not decrypt the value under ".*:k": the "encryptionKey" differs/,
        );
        assertNoSecret(err);
      });

      test('a tampered value is refused, never handed out', async () => {
        const s = store({ encryptionKey: KEY });
        await s.set('k', TOKEN, 10_000);
        const stored = (await raw.get(`${s.prefix}:k`))!;
        const last = stored.at(-5)!;
        const tampered = `${stored.slice(0, -5)}${last === 'A' ? 'B' : 'A'}${stored.slice(-4)}`;
        await raw.set(`${s.prefix}:k`, tampered);
        await assert.rejects(s.get('k'), /could not decrypt/);
        await raw.set(`${s.prefix}:k`, 'lt1.garbage');
        await assert.rejects(s.get('k'), /encrypted value under .* is malformed/);
      });

      test('a sealed value moved under another key does not open', async () => {
        const s = store({ encryptionKey: KEY });
        await s.set('channel-a', TOKEN, 10_000);
        await raw.set(`${s.prefix}:channel-b`, (await raw.get(`${s.prefix}:channel-a`))!);
        await assert.rejects(s.get('channel-b'), TokenStoreError);
        assert.deepEqual(await s.get('channel-a'), TOKEN);
      });

      test('plaintext under an encrypting store is refused (no planted tokens)', async () => {
        const plain = store();
        const sealed = new RedisTokenStore({
          client: client(),
          prefix: plain.prefix,
          encryptionKey: KEY,
        });
        await plain.set('k', TOKEN, 10_000);
        await assert.rejects(
          sealed.get('k'),
          /is not encrypted although this store has an "encryptionKey"/,
        );
      });

      test('a sealed value under a store without a key says to configure one', async () => {
        const sealed = store({ encryptionKey: KEY });
        const plain = new RedisTokenStore({ client: client(), prefix: sealed.prefix });
        await sealed.set('k', TOKEN, 10_000);
        await assert.rejects(plain.get('k'), /is encrypted but this store has no "encryptionKey"/);
      });
    });

    describe('failures', () => {
      test('corrupt values are TokenStoreErrors', async () => {
        const s = store();
        await raw.set(`${s.prefix}:k`, '{not json');
        await assert.rejects(s.get('k'), /is not JSON/);
        await raw.set(`${s.prefix}:k`, JSON.stringify({ accessToken: 'x', expiresAt: 'soon' }));
        await assert.rejects(s.get('k'), /is not a stored token/);
        await raw.set(`${s.prefix}:k`, JSON.stringify({ ...TOKEN, refreshAt: 'later' }));
        await assert.rejects(s.get('k'), /is not a stored token/);
      });

      test('a failing command (wrong type) is a TokenStoreError naming what was attempted', async () => {
        const s = store();
        await raw.hset(`${s.prefix}:k`, 'field', 'value');
        await assert.rejects(s.get('k'), (err: unknown) => {
          assert.ok(err instanceof TokenStoreError);
          assert.match(err.message, /Redis store could not read ".*:k": WRONGTYPE/);
          return true;
        });
      });

      test('an unreachable Redis fails fast with no password in the error', async () => {
        const port = await freePort();
        const c = new Redis(`redis://:hunter2-password@127.0.0.1:${port}`, {
          maxRetriesPerRequest: null,
          retryStrategy: () => 50,
        });
        clients.push(c);
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

      test('a restarted Redis is used again once it is back', async () => {
        const own = await startRedisServer(binary!);
        const c = new Redis(own.url, { maxRetriesPerRequest: null, retryStrategy: () => 20 });
        c.on('error', () => {});
        const s = new RedisTokenStore({ client: c, commandTimeoutMs: 200 });
        try {
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
        } finally {
          await s.close();
          c.disconnect();
          await own.close();
        }
      });
    });
  });
}

function assertNoSecret(err: Error): void {
  const views = [err.message, JSON.stringify(err), inspect(err)];
  for (const view of views) {
    assert.ok(!view.includes(TOKEN.accessToken), 'no token in the error');
    assert.ok(!view.includes('secret-token-value'));
  }
}
