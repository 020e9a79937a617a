// Many holders of one channel, in one process against the emulator on a virtual clock:
// instances with stores of their own are each served below the ceiling, a fleet whose
// store failed for a moment is back on one token, short-lived instances do not evict each
// other in a loop, and what a manager itself leaves behind (failed revocations, tokens that
// never reached a store) is bounded.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenUnavailableError } from '../../src/errors.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import { TokenManager } from '../../src/manager/manager.js';
import type { TokenManagerWarning } from '../../src/manager/types.js';
import type { TokenManagerOptions } from '../../src/manager/options.js';
import { TOKEN_MANAGER_DEFAULTS } from '../../src/manager/defaults.js';
import { FakeClock, countingFetch, drive, settle } from './helpers/fake-clock.js';
import { setup, type Setup } from './helpers/emulator.js';
import { FlakyStore } from './helpers/flaky-store.js';
import { defer } from '../fixtures.js';

const BUDGET = TOKEN_MANAGER_DEFAULTS.tokenLimit.unaccountedBudget;

function managerOn(
  s: Setup,
  clock: FakeClock,
  extra: Partial<TokenManagerOptions> = {},
): TokenManager {
  return new TokenManager({
    strategy: s.strategy,
    clientOptions: { baseUrl: s.emu.url },
    now: clock.now,
    timers: clock,
    random: () => 0.5,
    ...extra,
  });
}

async function live(s: Setup): Promise<number> {
  return (await s.emu.admin.listTokens(s.channelId)).length;
}

describe('many instances of one channel', () => {
  test('12 instances with stores of their own are all served, and each says once that others hold tokens', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const warnings: TokenManagerWarning[][] = [];
    const managers = Array.from({ length: 12 }, (_, i) => {
      warnings[i] = [];
      return managerOn(s, clock, { onWarning: (w) => warnings[i]!.push(w) });
    });
    defer(t, async () => {
      await Promise.all(managers.map((m) => m.close()));
      await s.emu.close();
    });
    // One after another, as pods start: each sees the tokens of those before it.
    const tokens: string[] = [];
    for (const m of managers) tokens.push(await m.getToken());
    assert.equal(new Set(tokens).size, 12);
    assert.equal(await live(s), 12);
    for (const [i, m] of managers.entries()) {
      assert.equal(m.status().unaccountedTokens, 0, 'nothing of its own is lost');
      assert.equal(m.status().foreignTokens, i);
      const foreign = warnings[i]!.filter((w) => w.code === 'FOREIGN_TOKENS');
      assert.equal(foreign.length, i === 0 ? 0 : 1);
      if (i > 0)
        assert.match(foreign[0]!.message, /give them one store .* or use stateless tokens/);
    }
  });

  test('7 restarts without close() on the default store are all served', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    defer(t, () => s.emu.close());
    for (let run = 0; run < 7; run++) {
      // A process killed without close(): its token stays live, held by nobody.
      const m = managerOn(s, clock);
      assert.ok((await m.getToken()).length > 0, `run ${run + 1} served`);
    }
    assert.equal(await live(s), 7);
  });

  test('a fleet of 6 on one store that failed across a refresh: every call served, one shared token again at the next refresh', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const store = new FlakyStore(new MemoryTokenStore({ now: clock.now }));
    const managers = Array.from({ length: 6 }, () =>
      managerOn(s, clock, { store, storeTimeoutMs: 1_000 }),
    );
    const all = () => Promise.all(managers.map((m) => m.getToken()));
    defer(t, async () => {
      await Promise.all(managers.map((m) => m.close()));
      await s.emu.close();
    });
    const first = await all();
    assert.equal(new Set(first).size, 1);
    store.down = true;
    // Into the refresh window (one-hour tokens: it opens 12 min before the end).
    await clock.advance(50 * 60_000);
    const degraded = await all();
    assert.equal(new Set(degraded).size, 6, 'each process works on a token of its own');
    store.down = false;
    // The next refresh: the first to take the lock issues for all; the others adopt it
    // and revoke their own. Other members' tokens are not the fleet's orphans.
    await clock.advance(50 * 60_000);
    let shared = await all();
    for (let i = 0; i < 3 && new Set(shared).size > 1; i++) {
      await clock.advance(60_000);
      shared = await all();
    }
    assert.equal(new Set(shared).size, 1, 'one shared token again');
    await clock.advance(TOKEN_MANAGER_DEFAULTS.revoke.graceMs + 1_000);
    await Promise.all(managers.map((m) => m.idle()));
    assert.ok((await live(s)) <= 2, 'the degraded tokens were revoked');
    for (const m of managers) assert.equal(m.status().lastError, undefined);
  });

  test('superseded tokens it failed to revoke count against the budget: it stops issuing at the budget', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const http = countingFetch();
    clock.busy = http.busy;
    const warnings: TokenManagerWarning[] = [];
    // Refreshed at 44% of the lifetime, so a superseded token is still live at the next
    // rotation; a budget of 1 makes that one token block it.
    const m = managerOn(s, clock, {
      clientOptions: { baseUrl: s.emu.url, fetch: http.fetch },
      refresh: { windowFraction: 0.5 },
      revoke: { attempts: 1, graceMs: 1_000 },
      tokenLimit: { unaccountedBudget: 1 },
      onWarning: (w) => warnings.push(w),
    });
    defer(t, async () => {
      await s.emu.admin.setFaults({});
      await m.close();
      await s.emu.close();
    });
    await s.emu.admin.setFaults({
      operations: {
        revokeV21: { random: [{ probability: 1, fault: { type: 'status', status: 500 } }] },
      },
    });
    const first = await m.getToken();
    // First rotation: the superseded token cannot be revoked and is left behind.
    await clock.advance(27 * 60_000);
    await drive(clock, m.getToken(), http.busy);
    await m.idle();
    await clock.advance(2_000);
    await m.idle();
    assert.ok(warnings.some((w) => w.code === 'REVOKE_FAILED'));
    assert.ok((await s.emu.admin.listTokens(s.channelId)).some((t) => t.accessToken === first));
    // Second rotation while it is still live: the budget of 1 is spent.
    await clock.advance(27 * 60_000);
    await drive(clock, m.getToken(), http.busy);
    await m.idle();
    assert.equal(m.status().counts.issued, 2, 'no third token');
    assert.equal(m.status().unaccountedTokens, 1);
    assert.match(m.status().lastError?.message ?? '', /superseded tokens it could not revoke/);
    assert.ok(warnings.some((w) => w.code === 'UNACCOUNTED_TOKENS'));
    // Once it has expired, the manager issues again.
    // A minute at a time: a retry's assertion must not outlive a jump of the clock.
    for (let i = 0; i < 35; i++) {
      await clock.advance(60_000);
      await m.idle();
    }
    assert.ok((await m.getToken()).length > 0);
    assert.ok(m.status().counts.issued >= 3, 'issuing again');
  });

  test('a revocation given up at close() is in the store for the next process to count', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const store = new MemoryTokenStore({ now: clock.now });
    const a = managerOn(s, clock, { store, revoke: { attempts: 1 } });
    defer(t, async () => {
      await s.emu.admin.setFaults({});
      await s.emu.close();
    });
    await a.getToken();
    await clock.advance(50 * 60_000); // into the refresh window: a second token
    await a.getToken();
    await a.idle();
    assert.equal(a.status().counts.issued, 2);
    await s.emu.admin.setFaults({
      operations: {
        revokeV21: { random: [{ probability: 1, fault: { type: 'status', status: 500 } }] },
      },
    });
    await a.close(); // the superseded token's revocation fails for good
    const ledger = await store.get(`v2.1:${s.channelId}:unresolved`);
    assert.equal(ledger?.unresolved?.length, 1);
    const live = await s.emu.admin.listTokens(s.channelId);
    assert.ok(live.some((t) => t.keyId === ledger?.unresolved?.[0]?.keyId));
    assert.ok(!JSON.stringify(ledger).includes(live[0]!.accessToken), 'no token in the ledger');
  });

  test('32 clean restarts on a store that never answers leave no token behind: close() revokes what never reached it', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const broken = new FlakyStore(new MemoryTokenStore({ now: clock.now }));
    broken.down = true;
    defer(t, () => s.emu.close());
    for (let run = 0; run < 32; run++) {
      const warnings: TokenManagerWarning[] = [];
      const m = managerOn(s, clock, { store: broken, onWarning: (w) => warnings.push(w) });
      assert.ok((await m.getToken()).length > 0, `run ${run + 1} served`);
      assert.ok(
        warnings.some((w) => w.code === 'STORE_DEGRADED'),
        'degraded loudly',
      );
      await m.close();
    }
    assert.ok((await live(s)) <= 1 + BUDGET, `live ${await live(s)}`);
    assert.equal(await live(s), 0, 'each run revoked its own token');
  });

  test('34 short-lived instances do not evict each other in a loop: issues per instance stay bounded, and they say why', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'short-lived');
    const issued: number[] = [];
    const warnings: TokenManagerWarning[] = [];
    const managers = Array.from({ length: 34 }, (_, i) => {
      issued[i] = 0;
      return managerOn(s, clock, {
        onTokenIssued: () => issued[i]!++,
        onWarning: (w) => warnings.push(w),
      });
    });
    defer(t, async () => {
      await Promise.all(managers.map((m) => m.close()));
      await s.emu.close();
    });
    let refusedTyped = 0;
    for (let round = 0; round < 40; round++) {
      // Each instance serves a request: a token LINE no longer accepts (evicted by the
      // 31st) comes back as a 401, as the Messaging API would answer.
      await Promise.all(
        managers.map(async (m) => {
          let token: string;
          try {
            token = await m.getToken();
          } catch (err) {
            assert.ok(err instanceof TokenUnavailableError, String(err));
            refusedTyped++;
            return;
          }
          const valid = (await s.emu.admin.listTokens(s.channelId)).some(
            (t) => t.accessToken === token,
          );
          if (!valid) await m.invalidate(token);
        }),
      );
      await clock.advance(10_000);
      await settle();
    }
    const most = Math.max(...issued);
    const total = issued.reduce((a, b) => a + b, 0);
    console.log(
      `34 short-lived instances, 40 rounds: ${total} issues, at most ${most} per instance`,
    );
    assert.ok(most <= 4, `issues per instance bounded (saw ${most})`);
    assert.ok(total <= 34 * 3, `issues in all bounded (saw ${total})`);
    assert.ok(warnings.some((w) => w.code === 'TOKEN_REVOKED_EARLY'));
    assert.match(
      warnings.find((w) => w.code === 'TOKEN_REVOKED_EARLY')!.message,
      /31st is issued.*give them one store/,
    );
    assert.ok(refusedTyped > 0, 'a paused instance gets a typed error, not an eviction');
  });
});
