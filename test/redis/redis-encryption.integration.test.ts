// Encryption at rest: AES-256-GCM with a fresh IV per write and the key name as
// additional data; wrong keys, tampering and swapped values are refused, never served.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenStoreError } from '../../src/errors.js';
import { RedisTokenStore } from '../../src/redis/index.js';
import { assertNoSecret, KEY, OTHER_KEY, TOKEN, useRedis } from './helpers/fixture.js';
import { requireRedisServer } from './redis-server.js';

const binary = requireRedisServer('RedisTokenStore encryption at rest');

if (binary !== undefined) {
  describe('RedisTokenStore encryption at rest', () => {
    const f = useRedis(binary);

    test('values are sealed: the token is not in Redis, and reads back intact', async () => {
      const s = f.store({ encryptionKey: KEY });
      await s.set('k', TOKEN, 10_000);
      const stored = await f.raw.get(`${s.prefix}:{k}`);
      assert.ok(stored);
      assert.ok(!stored.includes(TOKEN.accessToken), 'no bearer token in the dump');
      assert.ok(!stored.includes('secret-token-value'));
      assert.match(stored, /^lt1\.[\w-]{16}\.[\w-]+$/);
      assert.deepEqual(await s.get('k'), TOKEN);
    });

    test('every write uses a fresh IV', async () => {
      const s = f.store({ encryptionKey: KEY });
      await s.set('k', TOKEN, 10_000);
      const first = await f.raw.get(`${s.prefix}:{k}`);
      await s.set('k', TOKEN, 10_000);
      const second = await f.raw.get(`${s.prefix}:{k}`);
      assert.notEqual(first, second);
    });

    test('a base64 key reads what the same key as bytes wrote', async () => {
      const a = f.store({ encryptionKey: KEY });
      const b = new RedisTokenStore({
        client: f.client(),
        prefix: a.prefix,
        encryptionKey: Buffer.from(KEY).toString('base64'),
      });
      await a.set('k', TOKEN, 10_000);
      assert.deepEqual(await b.get('k'), TOKEN);
    });

    test('a wrong key is a clear TokenStoreError with no token in it', async () => {
      const a = f.store({ encryptionKey: KEY });
      const b = new RedisTokenStore({
        client: f.client(),
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
        /could not decrypt the value under ".*:\{k\}": the "encryptionKey" differs/,
      );
      assertNoSecret(err);
    });

    test('a tampered value is refused, never handed out', async () => {
      const s = f.store({ encryptionKey: KEY });
      await s.set('k', TOKEN, 10_000);
      const stored = (await f.raw.get(`${s.prefix}:{k}`))!;
      const last = stored.at(-5)!;
      const tampered = `${stored.slice(0, -5)}${last === 'A' ? 'B' : 'A'}${stored.slice(-4)}`;
      await f.raw.set(`${s.prefix}:{k}`, tampered);
      await assert.rejects(s.get('k'), /could not decrypt/);
      await f.raw.set(`${s.prefix}:{k}`, 'lt1.garbage');
      await assert.rejects(s.get('k'), /encrypted value under .* is malformed/);
    });

    test('a sealed value moved under another key does not open', async () => {
      const s = f.store({ encryptionKey: KEY });
      await s.set('channel-a', TOKEN, 10_000);
      await f.raw.set(`${s.prefix}:{channel-b}`, (await f.raw.get(`${s.prefix}:{channel-a}`))!);
      await assert.rejects(s.get('channel-b'), TokenStoreError);
      assert.deepEqual(await s.get('channel-a'), TOKEN);
    });

    test('plaintext under an encrypting store is refused (no planted tokens)', async () => {
      const plain = f.store();
      const sealed = new RedisTokenStore({
        client: f.client(),
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
      const sealed = f.store({ encryptionKey: KEY });
      const plain = new RedisTokenStore({ client: f.client(), prefix: sealed.prefix });
      await sealed.set('k', TOKEN, 10_000);
      await assert.rejects(plain.get('k'), /is encrypted but this store has no "encryptionKey"/);
    });
  });
}
