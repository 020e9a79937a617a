// The manager revokes the token its new one superseded even when the store lost the write
// or evicted the key (it knows its own previous token, whatever the store hands back), and
// two fleet members revoking the same token is harmless (LINE answers 200 both times).
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TokenManager } from '../../src/manager/manager.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import type { TokenStore } from '../../src/manager/store.js';
import type { TokenManagerWarning } from '../../src/manager/types.js';
import { FakeClock } from './helpers/fake-clock.js';
import { harness, ScriptedIssuer } from './helpers/scripted.js';
import { defer } from '../fixtures.js';

// The scripted 1-hour token is refreshed 2,790 s in (see refresher.test.ts); grace 60 s.
const REFRESH_AT = 2_790_000;
const GRACE = 60_000;

/** Refreshes once: past the refresh time, the new token, then past the grace period. */
async function rotate(
  clock: FakeClock,
  refresher: { getToken(): Promise<string>; idle(): Promise<void> },
) {
  clock.jump(REFRESH_AT);
  await refresher.getToken();
  await refresher.idle();
  const token = await refresher.getToken();
  await clock.advance(GRACE);
  await refresher.idle();
  return token;
}

describe('the superseded token is revoked whatever the store did', () => {
  test('with a store that keeps nothing, every superseded token is revoked', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const forgetful: TokenStore = {
      get: () => Promise.resolve(undefined),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    };
    const { refresher } = harness(clock, issuer, { store: forgetful });
    await refresher.getToken();
    for (let i = 0; i < 3; i++) await rotate(clock, refresher);
    assert.equal(issuer.issued.length, 4);
    assert.deepEqual(issuer.revoked, issuer.issued.slice(0, 3));
    await refresher.close();
  });

  test('with the key evicted before the refresh, the superseded token is revoked', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const store = new MemoryTokenStore({ now: clock.now });
    const { refresher } = harness(clock, issuer, { store });
    const first = await refresher.getToken();
    await store.delete(`${issuer.type}:${issuer.channelId}`);
    await rotate(clock, refresher);
    assert.deepEqual(issuer.revoked, [first]);
    await refresher.close();
  });
});

describe('two fleet members revoking the same token', () => {
  const emulators: Emulator[] = [];
  after(() => Promise.all(emulators.map((e) => e.close())));

  test('both revoke it after their grace periods, with no REVOKE_FAILED', async (t) => {
    const clock = new FakeClock();
    const emu = await startEmulator({ now: clock.now, rateLimit: false });
    emulators.push(emu);
    const { id, secret } = await emu.admin.createChannel();
    const store = new MemoryTokenStore({ now: clock.now });
    const warnings: TokenManagerWarning[] = [];
    const member = () =>
      new TokenManager({
        strategy: { type: 'short-lived', channelId: id, channelSecret: secret },
        clientOptions: { baseUrl: emu.url },
        store,
        now: clock.now,
        timers: clock,
        random: () => 0.5,
        onWarning: (w) => warnings.push(w),
      });
    const a = member();
    const b = member();
    const key = `short-lived:${id}`;
    defer(t, async () => {
      await a.close();
      await b.close();
    });
    const shared = await a.getToken();
    assert.equal(await b.getToken(), shared, 'B adopted the fleet token');
    // The store loses the key before each member's refresh: each issues its own and
    // supersedes the shared token.
    clock.jump(a.status().refreshAt! - clock.now());
    await store.delete(key);
    await a.getToken();
    await a.idle();
    const fromA = await a.getToken();
    await store.delete(key);
    await b.getToken();
    await b.idle();
    const fromB = await b.getToken();
    assert.notEqual(fromA, shared);
    assert.notEqual(fromB, shared);
    await clock.advance(60_000);
    await a.idle();
    await b.idle();
    assert.equal(
      (await emu.admin.stats()).requests['revoke'],
      2,
      'each member revoked the token it superseded',
    );
    const live = (await emu.admin.listTokens(id)).map((t) => t.accessToken);
    assert.ok(!live.includes(shared), 'the shared token is no longer live');
    assert.deepEqual(
      warnings.filter((w) => w.code === 'REVOKE_FAILED'),
      [],
    );
  });
});
