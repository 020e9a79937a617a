// Several managers in one process sharing one MemoryTokenStore: the lock protocol that the
// Redis store serves across processes, checked decision by decision on a fake clock.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineApiError } from '../../src/errors.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import type { TokenStore } from '../../src/manager/store.js';
import { drive, FakeClock } from './helpers/fake-clock.js';
import { FlakyStore } from './helpers/flaky-store.js';
import { harness, ScriptedIssuer } from './helpers/scripted.js';

const REFRESH_AT = 2_790_000; // see refresher.test.ts

function fleet(
  clock: FakeClock,
  size: number,
  store: TokenStore = new MemoryTokenStore({ now: clock.now }),
) {
  const issuer = new ScriptedIssuer(clock);
  const members = Array.from({ length: size }, () => harness(clock, issuer, { store }));
  return { issuer, members, store };
}

describe('lock protocol (managers sharing one store)', () => {
  test('five managers x 1,000 cold callers: exactly one issue, one token for all', async () => {
    const clock = new FakeClock();
    const { issuer, members } = fleet(clock, 5);
    const tokens = await Promise.all(
      members.flatMap((m) => Array.from({ length: 1000 }, () => m.refresher.getToken())),
    );
    assert.equal(issuer.issueCalls, 1);
    assert.deepEqual(new Set(tokens), new Set(issuer.issued));
    assert.equal(
      members.reduce((n, m) => n + m.refresher.status().counts.adopted, 0),
      4,
    );
  });

  test('a rotation: one issue for the fleet, everyone moves to the new token, the old one is revoked once', async () => {
    const clock = new FakeClock();
    const { issuer, members } = fleet(clock, 4);
    await Promise.all(members.map((m) => m.refresher.getToken()));
    for (let rotation = 1; rotation <= 10; rotation++) {
      clock.jump(REFRESH_AT);
      await Promise.all(members.map((m) => m.refresher.getToken()));
      await Promise.all(members.map((m) => m.refresher.idle()));
      assert.equal(issuer.issueCalls, 1 + rotation);
      const current = issuer.issued.at(-1);
      for (const m of members) assert.equal(await m.refresher.getToken(), current);
      await clock.advance(60_000);
      await Promise.all(members.map((m) => m.refresher.idle()));
      assert.deepEqual(
        issuer.revoked,
        issuer.issued.slice(0, rotation),
        'each superseded token revoked exactly once',
      );
    }
  });

  test("a holder whose issue fails releases the lock and a waiter's retry issues; nobody issues twice", async () => {
    const clock = new FakeClock();
    const { issuer, members } = fleet(clock, 3);
    issuer.failures.push(new LineApiError({ operation: 'issueV21', status: 503 }));
    const outcome = await drive(clock, Promise.all(members.map((m) => m.refresher.getToken())));
    assert.equal(outcome.status, 'fulfilled');
    assert.equal(issuer.issueCalls, 2, 'one failed issue, one good one');
    assert.equal(new Set((outcome as PromiseFulfilledResult<string[]>).value).size, 1);
  });

  test('an idle member past half the grace period looks for the new token instead of serving one about to be revoked', async () => {
    const clock = new FakeClock();
    const { issuer, members } = fleet(clock, 2);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    const first = await a.refresher.getToken();
    assert.equal(await b.refresher.getToken(), first);
    clock.jump(REFRESH_AT);
    await a.refresher.getToken();
    await a.refresher.idle();
    const second = issuer.issued[1];
    clock.jump(40_000); // B slept through its refresh time plus 40 s; the old token dies at 60 s
    assert.equal(await b.refresher.getToken(), second);
    assert.equal(issuer.issueCalls, 2);
  });

  test('a restarted member finds the stored token and issues nothing', async () => {
    const clock = new FakeClock();
    const store = new MemoryTokenStore({ now: clock.now });
    const { issuer } = fleet(clock, 0, store);
    const first = await harness(clock, issuer, { store }).refresher.getToken();
    clock.jump(1_000_000);
    const restarted = harness(clock, issuer, { store });
    assert.equal(await restarted.refresher.getToken(), first);
    assert.equal(issuer.issueCalls, 1);
    // It keeps the refresh time the issuer wrote, so the fleet rotates at one moment.
    assert.equal(restarted.refresher.status().refreshAt, clock.now() - 1_000_000 + REFRESH_AT);
  });
});

describe('a failing store degrades, never fails', () => {
  test('store down: each manager gets its own token (its share: one per rotation), says so once; back up: it rejoins the fleet and revokes its own', async () => {
    const clock = new FakeClock();
    const store = new FlakyStore(new MemoryTokenStore({ now: clock.now }));
    const { issuer, members } = fleet(clock, 2, store);
    store.down = true;
    const own = await Promise.all(members.map((m) => m.refresher.getToken()));
    assert.equal(issuer.issueCalls, 2);
    assert.notEqual(own[0], own[1]);
    for (const m of members) assert.equal(m.refresher.status().degraded, true);
    for (let i = 0; i < 3; i++) {
      clock.jump(REFRESH_AT);
      await Promise.all(members.map((m) => m.refresher.getToken()));
      await Promise.all(members.map((m) => m.refresher.idle()));
    }
    assert.equal(issuer.issueCalls, 2 + 2 * 3, 'one issue per member per rotation, no more');
    for (const m of members) {
      // Each sees the other's own token as another holder's, and says so once.
      assert.deepEqual(
        m.warnings.map((w) => w.code),
        ['STORE_DEGRADED', 'FOREIGN_TOKENS'],
      );
    }

    store.down = false;
    clock.jump(REFRESH_AT);
    const [a, b] = members as [(typeof members)[0], (typeof members)[0]];
    const ownOfB = await b.refresher.getToken(); // served while its refresh runs
    await a.refresher.getToken();
    await a.refresher.idle();
    await b.refresher.idle();
    const shared = await a.refresher.getToken();
    assert.equal(await b.refresher.getToken(), shared, 'both on the fleet token again');
    for (const m of members) {
      assert.equal(m.refresher.status().degraded, false);
      // The other's degraded-era token is another holder's, not a lost one of this fleet.
      assert.deepEqual(
        m.warnings.map((w) => w.code),
        ['STORE_DEGRADED', 'FOREIGN_TOKENS', 'STORE_RECOVERED'],
      );
      assert.equal(m.refresher.status().unaccountedTokens, 0);
    }
    await clock.advance(60_000);
    await Promise.all(members.map((m) => m.refresher.idle()));
    assert.ok(issuer.revoked.includes(ownOfB), "B's own token, known to no one else, is revoked");
  });

  test('a write that fails after the issue keeps the token: never a second issue for it', async () => {
    const clock = new FakeClock();
    const store = new FlakyStore(new MemoryTokenStore({ now: clock.now }));
    store.failWrites = true;
    const issuer = new ScriptedIssuer(clock);
    const { refresher, warnings } = harness(clock, issuer, { store });
    const token = await refresher.getToken();
    assert.equal(token, issuer.issued[0]);
    assert.equal(issuer.issueCalls, 1);
    assert.equal(refresher.status().degraded, true);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['STORE_DEGRADED'],
    );
  });

  test('a store that hangs is given up on after storeTimeoutMs', async () => {
    const clock = new FakeClock();
    const store = new FlakyStore(new MemoryTokenStore({ now: clock.now }));
    store.hang = true;
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer, { store, storeTimeoutMs: 20 });
    assert.equal(await refresher.getToken(), issuer.issued[0]);
    assert.equal(refresher.status().degraded, true);
  });
});
