// The Redis store under the real TokenManager, in one process: managers sharing a sealed
// store issue once; a wrong key or a tampered value is reported and replaced by a fresh
// token, never handed out.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { ChannelAccessTokenClient } from '../../src/client/index.js';
import { TokenStoreError } from '../../src/errors.js';
import { TokenManager } from '../../src/manager/manager.js';
import type { TokenManagerWarning } from '../../src/manager/types.js';
import type { TokenManagerOptions } from '../../src/manager/options.js';
import { RedisTokenStore } from '../../src/redis/index.js';
import { startLine, type FleetLine } from './fleet-harness.js';
import { requireRedisServer, startRedisServer, type RedisServer } from './redis-server.js';

const binary = requireRedisServer('TokenManager on RedisTokenStore');

if (binary !== undefined) {
  describe('TokenManager on RedisTokenStore', () => {
    let server: RedisServer;
    let line: FleetLine;
    let raw: Redis;
    const clients: Redis[] = [];
    const closers: Array<() => Promise<void>> = [];
    let n = 0;

    before(async () => {
      server = await startRedisServer(binary);
      line = await startLine();
      raw = new Redis(server.url);
      clients.push(raw);
    });
    after(async () => {
      for (const close of closers) await close();
      for (const c of clients) c.disconnect();
      await line.emulator.close();
      await server.close();
    });

    function setup(prefix: string, encryptionKey?: Uint8Array | string) {
      const warnings: TokenManagerWarning[] = [];
      const client = new Redis(server.url);
      clients.push(client);
      const store = new RedisTokenStore({
        client,
        prefix,
        ...(encryptionKey === undefined ? {} : { encryptionKey }),
      });
      const options: TokenManagerOptions = {
        strategy: {
          type: 'v2.1',
          channelId: line.channelId,
          kid: line.kid,
          privateKey: line.privateJwk,
          tokenExpSec: 900,
          channelSecret: line.channelSecret,
        },
        store,
        clientOptions: { baseUrl: line.emulator.url },
        now: () => line.now,
        onWarning: (w) => warnings.push(w),
      };
      const manager = new TokenManager(options);
      closers.push(async () => {
        await manager.close();
        await store.close();
      });
      return { manager, store, warnings };
    }

    const freshPrefix = (): string => `mgr${++n}`;
    const storeKey = (prefix: string): string => `${prefix}:{v2.1:${line.channelId}}`;

    test('managers sharing a sealed store issue once, and Redis never holds the bearer token', async () => {
      const key = randomBytes(32);
      const prefix = freshPrefix();
      const a = setup(prefix, key);
      const b = setup(prefix, key.toString('base64'));
      const before = await line.requests('issueV21');
      const [ta, tb] = await Promise.all([a.manager.getToken(), b.manager.getToken()]);
      assert.equal(ta, tb);
      assert.equal((await line.requests('issueV21')) - before, 1);
      const stored = await raw.get(storeKey(prefix));
      assert.ok(stored !== null && stored.startsWith('lt1.'));
      assert.ok(!stored.includes(ta));
    });

    test('a wrong key is reported as a TokenStoreError, then a fresh token is issued, not garbage', async () => {
      const prefix = freshPrefix();
      const writer = setup(prefix, randomBytes(32));
      const stranger = setup(prefix, randomBytes(32));
      const written = await writer.manager.getToken();
      const before = await line.requests('issueV21');
      const token = await stranger.manager.getToken();
      assert.notEqual(token, written);
      assert.equal((await line.requests('issueV21')) - before, 1, 'one fresh issue');
      assert.ok(
        (await line.liveV21()).some((t) => t.accessToken === token),
        'a real, live token',
      );
      const degraded = stranger.warnings.find((w) => w.code === 'STORE_DEGRADED');
      assert.ok(degraded, 'the failure is reported');
      assert.ok(degraded.cause instanceof TokenStoreError);
      assert.match(degraded.cause.message, /could not decrypt/);
      assert.equal(stranger.manager.status().degraded, true);
    });

    test('an unencrypted value of another channel copied under the key is never served', async () => {
      const prefix = freshPrefix();
      // The value as another channel's key holds it (the record names that channel),
      // copied under ours.
      const foreign = {
        accessToken: 'token-of-another-channel',
        issuedAt: line.now,
        expiresAt: line.now + 900_000,
        type: 'v2.1',
        channelId: '1999999999',
      };
      await raw.set(storeKey(prefix), JSON.stringify(foreign), 'PX', 60_000);
      const reader = setup(prefix);
      const token = await reader.manager.getToken();
      assert.notEqual(token, foreign.accessToken);
      assert.equal(reader.warnings.filter((w) => w.code === 'FOREIGN_RECORD').length, 1);
      const stored = JSON.parse((await raw.get(storeKey(prefix)))!) as { channelId?: string };
      assert.equal(stored.channelId, line.channelId, 'the record it wrote names its channel');
      // Leave the channel's live-token count as it was for the other tests.
      await new ChannelAccessTokenClient({ baseUrl: line.emulator.url }).revokeV21({
        channelId: line.channelId,
        channelSecret: line.channelSecret,
        accessToken: token,
      });
    });

    test('a tampered value is reported, then a fresh token is issued, not garbage', async () => {
      const key = randomBytes(32);
      const prefix = freshPrefix();
      const writer = setup(prefix, key);
      const written = await writer.manager.getToken();
      const sealed = (await raw.get(storeKey(prefix)))!;
      const flipped = sealed.at(-3) === 'A' ? 'B' : 'A';
      await raw.set(
        storeKey(prefix),
        `${sealed.slice(0, -3)}${flipped}${sealed.slice(-2)}`,
        'PX',
        60_000,
      );
      const reader = setup(prefix, key);
      const token = await reader.manager.getToken();
      assert.notEqual(token, written);
      assert.ok((await line.liveV21()).some((t) => t.accessToken === token));
      const degraded = reader.warnings.find((w) => w.code === 'STORE_DEGRADED');
      assert.ok(degraded?.cause instanceof TokenStoreError);
    });
  });
}
