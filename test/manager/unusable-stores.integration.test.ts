// Clean restarts of a manager whose store cannot be used: Redis down (a client that never
// connects), a Redis value sealed under another encryptionKey, and a file-store path that
// is a folder. Each run is a process that starts, serves one getToken() and closes; what
// the runs together leave live on the channel must stay within 1 + the budget, however
// many runs there are (a token that never reached the store is the run's own to revoke).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { TOKEN_MANAGER_DEFAULTS } from '../../src/manager/defaults.js';
import { TokenManager } from '../../src/manager/manager.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import type { TokenStore } from '../../src/manager/store.js';
import type { TokenManagerWarning } from '../../src/manager/types.js';
import { RedisTokenStore } from '../../src/redis/index.js';
import { freePort, requireRedisServer, startRedisServer } from '../redis/redis-server.js';
import type { RedisServer } from '../redis/redis-server.js';
import { FakeClock } from './helpers/fake-clock.js';
import { setup, type Setup } from './helpers/emulator.js';
import { defer, tempDirFor } from '../fixtures.js';

const BUDGET = TOKEN_MANAGER_DEFAULTS.tokenLimit.unaccountedBudget;
const RESTARTS = 32;
// Short, so 32 runs against a Redis that never answers stay quick; the store's own
// deadline is what turns "no answer" into a failed call.
const COMMAND_TIMEOUT_MS = 100;

async function live(s: Setup): Promise<number> {
  return (await s.emu.admin.listTokens(s.channelId)).length;
}

/**
 * RESTARTS clean runs (new manager, getToken, close) on `store()`: each is served, says
 * its store failed, and together they leave at most 1 + budget live tokens.
 */
async function restarts(
  t: TestContext,
  s: Setup,
  clock: FakeClock,
  store: () => TokenStore,
): Promise<number> {
  const before = await live(s);
  for (let run = 0; run < RESTARTS; run++) {
    const warnings: TokenManagerWarning[] = [];
    const m = new TokenManager({
      strategy: s.strategy,
      clientOptions: { baseUrl: s.emu.url },
      store: store(),
      now: clock.now,
      timers: clock,
      random: () => 0.5,
      onWarning: (w) => warnings.push(w),
    });
    try {
      assert.ok((await m.getToken()).length > 0, `run ${run + 1} served`);
      assert.ok(
        warnings.some((w) => w.code === 'STORE_DEGRADED'),
        `run ${run + 1} said its store failed (${warnings.map((w) => w.code).join(', ')})`,
      );
    } finally {
      await m.close();
    }
    const now = await live(s);
    assert.ok(now <= 1 + BUDGET, `after run ${run + 1}: ${now} live v2.1 tokens`);
  }
  const after = await live(s);
  t.diagnostic(`${RESTARTS} restarts: live v2.1 tokens ${before} before, ${after} after`);
  return after;
}

describe('clean restarts with an unusable store', () => {
  test(`a file-store path that is a folder: ${RESTARTS} restarts leave at most 1 + budget live tokens`, async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const folder = tempDirFor(t, 'line-token-folder-store-');
    defer(t, () => s.emu.close());
    await restarts(t, s, clock, () => new FileTokenStore({ path: folder, now: clock.now }));
  });

  test(`Redis down (a client that never connects): ${RESTARTS} restarts leave at most 1 + budget live tokens`, async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    // Nothing listens there: the client keeps its default offline queue and retries, as an
    // application's would while Redis is down; the store's deadline ends each command.
    const port = await freePort();
    const clients: Redis[] = [];
    defer(t, async () => {
      for (const c of clients) c.disconnect();
      await s.emu.close();
    });
    await restarts(t, s, clock, () => {
      const client = new Redis({ host: '127.0.0.1', port, retryStrategy: () => 50 });
      client.on('error', () => {});
      clients.push(client);
      return new RedisTokenStore({ client, commandTimeoutMs: COMMAND_TIMEOUT_MS });
    });
  });
});

const binary = requireRedisServer('unusable stores');
if (binary !== undefined) {
  describe('clean restarts with a Redis value sealed under another key', () => {
    let redis: RedisServer;
    const clients: Redis[] = [];
    before(async () => {
      redis = await startRedisServer(binary);
    });
    after(async () => {
      for (const c of clients) c.disconnect();
      await redis.close();
    });
    const storeWith = (encryptionKey: string): RedisTokenStore => {
      const client = new Redis(redis.url);
      client.on('error', () => {});
      clients.push(client);
      return new RedisTokenStore({
        client,
        prefix: 'rekeyed',
        encryptionKey,
        commandTimeoutMs: 5_000,
      });
    };

    test(`a wrong encryptionKey: ${RESTARTS} restarts leave at most 1 + budget live tokens`, async (t) => {
      const clock = new FakeClock();
      const s = await setup(clock, 'v2.1');
      defer(t, () => s.emu.close());
      // A deployment under the old key wrote the channel's token and stopped.
      const old = new TokenManager({
        strategy: s.strategy,
        clientOptions: { baseUrl: s.emu.url },
        store: storeWith(randomBytes(32).toString('base64')),
        now: clock.now,
        timers: clock,
        random: () => 0.5,
      });
      await old.getToken();
      await old.close();
      const raw = clients[0]!;
      const sealed = await raw.keys('rekeyed:*');
      assert.ok(sealed.length > 0, 'the old deployment stored its token');
      // The new one runs under another key.
      const newKey = randomBytes(32).toString('base64');
      const left = await restarts(t, s, clock, () => storeWith(newKey));
      assert.ok(left <= 1 + BUDGET);
    });
  });
}
