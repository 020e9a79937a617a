// The Redis store against a real redis-server: namespacing, TTLs and option checks.
// The lock, waiting, encryption and failures have files of their own.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Redis } from 'ioredis';
import { InvalidArgumentError } from '../../src/errors.js';
import type { StoredToken } from '../../src/manager/store.js';
import {
  REDIS_TOKEN_STORE_DEFAULTS,
  RedisTokenStore,
  type RedisClientLike,
} from '../../src/redis/index.js';
import { KEY, TOKEN, useRedis } from './helpers/fixture.js';
import { requireRedisServer } from './redis-server.js';

// Compile-time proof that an ioredis instance is accepted as is.
export function acceptsIoredis(client: Redis): RedisClientLike {
  return client;
}

const binary = requireRedisServer('RedisTokenStore');

if (binary !== undefined) {
  describe('RedisTokenStore', () => {
    const f = useRedis(binary);

    test('a missing key reads as undefined', async () => {
      assert.equal(await f.store().get('nothing-here'), undefined);
    });

    test('set then get round-trips every field under <prefix>:<key> with a PX TTL', async () => {
      const s = f.store();
      await s.set('v2.1:123', TOKEN, 60_000);
      assert.deepEqual(await s.get('v2.1:123'), TOKEN);
      const pttl = await f.raw.pttl(`${s.prefix}:{v2.1:123}`);
      assert.ok(pttl > 0 && pttl <= 60_000, `PTTL ${pttl} should be within the TTL given`);
    });

    test('the default prefix is line-token', async () => {
      const s = f.track(new RedisTokenStore({ client: f.client() }));
      assert.equal(s.prefix, REDIS_TOKEN_STORE_DEFAULTS.prefix);
      await s.set('default-prefix-check', TOKEN, 10_000);
      assert.equal(await f.raw.exists('line-token:{default-prefix-check}'), 1);
      await s.delete('default-prefix-check');
    });

    test('a token without keyId or refreshAt round-trips without them', async () => {
      const s = f.store();
      const { keyId: _keyId, refreshAt: _refreshAt, ...bare } = TOKEN;
      await s.set('k', bare, 10_000);
      const back = await s.get('k');
      assert.deepEqual(back, bare);
      assert.equal(Object.hasOwn(back!, 'keyId'), false);
      assert.equal(Object.hasOwn(back!, 'refreshAt'), false);
    });

    test('only the StoredToken fields are stored', async () => {
      const s = f.store();
      await s.set('k', { ...TOKEN, extra: 'not stored' } as StoredToken, 10_000);
      assert.deepEqual(await s.get('k'), TOKEN);
      assert.ok(!(await f.raw.get(`${s.prefix}:{k}`))!.includes('not stored'));
    });

    test('a zero or negative TTL deletes instead of storing an expired token', async () => {
      const s = f.store();
      await s.set('k', TOKEN, 10_000);
      await s.set('k', TOKEN, 0);
      assert.equal(await s.get('k'), undefined);
      await s.set('k', TOKEN, -5);
      assert.equal(await f.raw.exists(`${s.prefix}:{k}`), 0);
    });

    test('a fractional TTL is rounded up and a non-finite one is refused', async () => {
      const s = f.store();
      const key = `${s.prefix}:{k}`;
      // What reached Redis, as Redis itself reports it (MONITOR): a PTTL read back would
      // race the clock, since a 1 ms TTL may be gone before the next command runs.
      const monitor = await f.raw.monitor();
      const ttls: string[] = [];
      const seen = new Promise<void>((resolve) => {
        monitor.on('monitor', (_time: string, args: string[]) => {
          if (args[0]?.toUpperCase() !== 'EVAL' || args[3] !== key) return;
          ttls.push(args.at(-1)!);
          if (ttls.length === 2) resolve();
        });
      });
      try {
        await s.set('k', TOKEN, 0.2);
        await s.set('k', TOKEN, 59_999.2);
        await seen;
      } finally {
        monitor.disconnect();
      }
      assert.deepEqual(ttls, ['1', '60000'], 'PX rounded up, never down to 0 or 59999');
      const pttl = await f.raw.pttl(key);
      assert.ok(pttl > 0 && pttl <= 60_000, `PTTL ${pttl} is within the TTL given`);
      await assert.rejects(s.set('k', TOKEN, Number.NaN), InvalidArgumentError);
      await assert.rejects(s.set('k', TOKEN, Infinity), /"ttlMs" must be a finite number/);
    });

    test('delete removes the key', async () => {
      const s = f.store();
      await s.set('k', TOKEN, 10_000);
      await s.delete('k');
      assert.equal(await s.get('k'), undefined);
    });

    test('stores with different prefixes do not see each other', async () => {
      const c = f.client();
      const a = new RedisTokenStore({ client: c, prefix: f.uniquePrefix() });
      const b = new RedisTokenStore({ client: c, prefix: f.uniquePrefix() });
      await a.set('same', TOKEN, 10_000);
      assert.equal(await b.get('same'), undefined);
    });

    test('an empty key, or one with braces (the store adds the hash tag), is refused', async () => {
      await assert.rejects(f.store().get(''), InvalidArgumentError);
      await assert.rejects(f.store().get('v2.1:{1}'), /without braces/);
    });

    describe('options', () => {
      test('bad options are refused at construction, quoting the option', () => {
        const c = f.client();
        assert.throws(
          () => new RedisTokenStore({ client: {} as RedisClientLike }),
          /"client" option/,
        );
        assert.throws(() => new RedisTokenStore({ client: c, prefix: '' }), /"prefix" option/);
        assert.throws(
          () => new RedisTokenStore({ client: c, prefix: 'a{b}' }),
          /"prefix" option must be .* without whitespace or braces/,
        );
        assert.throws(
          () => new RedisTokenStore({ client: c, commandTimeoutMs: 0 }),
          /"commandTimeoutMs" option must be a whole number of milliseconds from 1 to 2147483647 \(got 0\)/,
        );
        assert.throws(
          () => new RedisTokenStore({ client: c, pollIntervalMs: 1.5 }),
          /"pollIntervalMs" option must be a whole number of milliseconds from 1 to 2147483647 \(got 1\.5\)/,
        );
        assert.throws(
          () => new RedisTokenStore({ client: c, comandTimeoutMs: 100 } as never),
          (err: unknown) =>
            err instanceof InvalidArgumentError &&
            err.argument === 'comandTimeoutMs' &&
            err.message ===
              '"comandTimeoutMs" is not a RedisTokenStore option; did you mean "commandTimeoutMs"?',
        );
      });

      test('serverClock: on by default (now() is Redis TIME), absent when off, a boolean only', async () => {
        const c = f.client();
        const shared = f.track(new RedisTokenStore({ client: c, prefix: 'clock-on' }));
        assert.equal(typeof shared.now, 'function');
        assert.ok(Number.isFinite(await shared.now!()));
        const own = f.track(
          new RedisTokenStore({ client: c, prefix: 'clock-off', serverClock: false }),
        );
        assert.equal(own.now, undefined, 'a manager on its own clock must not see a store clock');
        assert.throws(
          () => new RedisTokenStore({ client: c, serverClock: 'yes' as never }),
          (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'serverClock',
        );
      });

      test('an encryption key must be 32 bytes, as bytes or base64', () => {
        const c = f.client();
        assert.throws(
          () => new RedisTokenStore({ client: c, encryptionKey: new Uint8Array(16) }),
          (err: unknown) =>
            err instanceof InvalidArgumentError &&
            err.argument === 'encryptionKey' &&
            /exactly 32 bytes for AES-256-GCM \(got 16\)/.test(err.message),
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
  });
}
