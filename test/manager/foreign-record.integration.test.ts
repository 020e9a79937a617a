// A stored record names its channel (and, as before, its token type): a manager that finds
// another channel's or type's record under its store key (two managers given one storeKey,
// a value copied between keys) refuses it, warns once, and never serves it. Records without
// the channel (written by 0.1) are still read.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ChannelAccessTokenClient } from '../../src/client/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { encryptionKeyBytes } from '../../src/internal/store-options.js';
import { ValueCodec } from '../../src/internal/value-codec.js';
import { TokenManager } from '../../src/manager/manager.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import {
  isStoredToken,
  pickStoredToken,
  type StoredToken,
  type TokenStore,
} from '../../src/manager/store.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import type { TokenManagerWarning } from '../../src/manager/types.js';
import { FakeClock } from './helpers/fake-clock.js';
import { defer, suiteScope, tempDirFor } from '../fixtures.js';

const emulators: Emulator[] = [];
after(() => Promise.all(emulators.map((e) => e.close())));

async function twoChannels(clock: FakeClock) {
  const emu = await startEmulator({ now: clock.now, rateLimit: false });
  emulators.push(emu);
  return { emu, a: await emu.admin.createChannel(), b: await emu.admin.createChannel() };
}

function manager(
  clock: FakeClock,
  emu: Emulator,
  channel: { id: string; secret: string },
  store: TokenStore,
  warnings: TokenManagerWarning[],
  type: 'short-lived' | 'stateless' = 'short-lived',
): TokenManager {
  return new TokenManager({
    strategy:
      type === 'stateless'
        ? { type, channelId: channel.id, channelSecret: channel.secret }
        : { type, channelId: channel.id, channelSecret: channel.secret },
    clientOptions: { baseUrl: emu.url },
    store,
    storeKey: 'shared-by-mistake',
    now: clock.now,
    timers: clock,
    random: () => 0.5,
    onWarning: (w) => warnings.push(w),
  });
}

describe('a record of another channel or type under our store key', () => {
  const suite = suiteScope();
  const stores: Array<[string, (clock: FakeClock) => Promise<TokenStore>]> = [
    ['memory store', (clock) => Promise.resolve(new MemoryTokenStore({ now: clock.now }))],
    [
      'file store',
      async (clock) =>
        new FileTokenStore({
          path: join(tempDirFor(suite, 'line-token-foreign-'), 'tokens.json'),
          now: clock.now,
        }),
    ],
  ];
  for (const [name, makeStore] of stores) {
    test(`${name}: two channels on one storeKey never serve each other's token`, async (t) => {
      const clock = new FakeClock();
      const { emu, a, b } = await twoChannels(clock);
      const store = await makeStore(clock);
      const warnA: TokenManagerWarning[] = [];
      const warnB: TokenManagerWarning[] = [];
      const ma = manager(clock, emu, a, store, warnA);
      const mb = manager(clock, emu, b, store, warnB);
      defer(t, async () => {
        await ma.close();
        await mb.close();
      });
      const tokenA = await ma.getToken();
      assert.equal((await store.get('shared-by-mistake'))?.channelId, a.id, 'the record names it');
      const tokenB = await mb.getToken();
      assert.notEqual(tokenB, tokenA, "B refused A's token and issued its own");
      assert.equal(
        (await new ChannelAccessTokenClient({ baseUrl: emu.url }).verify({ accessToken: tokenB }))
          .clientId,
        b.id,
      );
      assert.deepEqual(
        warnB.map((w) => w.code),
        ['FOREIGN_RECORD'],
      );
      assert.ok(!warnB[0]!.message.includes(tokenA), 'the warning holds no token');
      await mb.getToken();
      assert.equal(warnB.length, 1, 'warned once');
    });
  }

  test('a record of another token type under the key is refused too', async (t) => {
    const clock = new FakeClock();
    const { emu, a } = await twoChannels(clock);
    const store = new MemoryTokenStore({ now: clock.now });
    const warnings: TokenManagerWarning[] = [];
    const shortLived = manager(clock, emu, a, store, []);
    const stateless = manager(clock, emu, a, store, warnings, 'stateless');
    defer(t, async () => {
      await shortLived.close();
      await stateless.close();
    });
    const first = await shortLived.getToken();
    assert.notEqual(await stateless.getToken(), first);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['FOREIGN_RECORD'],
    );
  });

  test('a record without a channel (written by 0.1) is still adopted', async (t) => {
    const clock = new FakeClock();
    const { emu, a } = await twoChannels(clock);
    const store = new MemoryTokenStore({ now: clock.now });
    const issued = await new ChannelAccessTokenClient({ baseUrl: emu.url }).issueShortLived({
      channelId: a.id,
      channelSecret: a.secret,
    });
    const old: StoredToken = {
      accessToken: issued.accessToken,
      issuedAt: clock.now(),
      expiresAt: clock.now() + issued.expiresIn * 1000,
      type: 'short-lived',
    };
    await store.set('shared-by-mistake', old, 60_000);
    const warnings: TokenManagerWarning[] = [];
    const m = manager(clock, emu, a, store, warnings);
    defer(t, () => m.close());
    assert.equal(await m.getToken(), issued.accessToken);
    assert.deepEqual(warnings, []);
  });

  test('the channel survives every store encoding (Redis, Durable Object, Deno KV), plain and sealed', async () => {
    const record: StoredToken = {
      accessToken: 'token-1',
      issuedAt: 1,
      expiresAt: 2,
      type: 'v2.1',
      channelId: '1234567890',
    };
    assert.ok(isStoredToken(record));
    assert.equal(pickStoredToken(record).channelId, '1234567890');
    assert.equal(isStoredToken({ ...record, channelId: 5 }), false);
    const key = Buffer.alloc(32, 7).toString('base64');
    for (const codec of [new ValueCodec(undefined), new ValueCodec(encryptionKeyBytes(key))]) {
      const text = await codec.encode('k', record);
      assert.deepEqual(await codec.decode('k', text), record);
    }
  });
});
