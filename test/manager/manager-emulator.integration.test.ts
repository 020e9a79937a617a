// TokenManager end to end against the emulator: restarts with the file store, permanent
// failures and the v2.1 limit, several managers sharing one store, the static strategy.
// (The 10,000-cold-callers claim is single-flight.test.ts.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createAssertionSigner } from '../../src/assertion/index.js';
import { ChannelAccessTokenClient, type IssuedTokenV21 } from '../../src/client/index.js';
import { TokenUnavailableError } from '../../src/errors.js';
import { TokenManager } from '../../src/manager/manager.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import { DEFAULT_TOKEN_EXP_SEC } from '../../src/manager/constants.js';
import type { TokenManagerWarning, TokenStrategy } from '../../src/manager/types.js';
import type { TokenManagerOptions } from '../../src/manager/options.js';
import { FakeClock } from './helpers/fake-clock.js';
import { setup, type Setup } from './helpers/emulator.js';
import { closeAfter, defer, suiteScope, tempDirFor } from '../fixtures.js';

const DAY = 86_400_000;

function managerFor(s: Setup, clock: FakeClock, extra: Partial<TokenManagerOptions> = {}) {
  return new TokenManager({
    strategy: s.strategy,
    clientOptions: { baseUrl: s.emu.url },
    now: clock.now,
    timers: clock,
    random: () => 0.5,
    ...extra,
  });
}

const dir = tempDirFor(suiteScope(), 'line-token-manager-');

describe('TokenManager on the emulator', () => {
  test('a restart with the file store issues nothing; the next rotation revokes the stored token', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const path = join(dir, 'restart', 'tokens.json');
    // Closed after the test whatever fails first, so a failure here never waits on an open
    // emulator until the suite's timeout.
    defer(t, () => s.emu.close());
    const first = closeAfter(
      t,
      managerFor(s, clock, { store: new FileTokenStore({ path, now: clock.now }) }),
    );
    const token = await first.getToken();
    await first.close();

    clock.jump(10 * 60_000); // the process was down for ten minutes
    const second = closeAfter(
      t,
      managerFor(s, clock, { store: new FileTokenStore({ path, now: clock.now }) }),
    );
    assert.equal(await second.getToken(), token);
    assert.equal((await s.emu.admin.stats()).requests['issueV21'], 1, 'nothing issued on restart');
    assert.equal(second.status().counts.adopted, 1);

    clock.jump(37 * 60_000); // 47 minutes in: past the refresh time (46.5 min)
    await second.getToken();
    await second.idle();
    const rotated = await second.getToken();
    assert.notEqual(rotated, token);
    await clock.advance(60_000);
    await second.idle();
    const live = (await s.emu.admin.listTokens(s.channelId)).map((t) => t.accessToken);
    assert.deepEqual(live, [rotated], "the first run's token, superseded, was revoked");
  });

  test('v2.1 without tokenExpSec issues a 30-day token (LINE refuses a v2.1 issue without token_exp)', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const { tokenExpSec: _chosen, ...strategy } = s.strategy as Extract<
      TokenStrategy,
      { type: 'v2.1' }
    >;
    const manager = managerFor(s, clock, { strategy });
    defer(t, async () => {
      await manager.close();
      await s.emu.close();
    });
    await manager.getToken();
    const [live] = await s.emu.admin.listTokens(s.channelId);
    assert.equal(live?.expiresAt, clock.now() + DEFAULT_TOKEN_EXP_SEC * 1000);
  });

  test('close() revokes the current token when only this manager could hold it (no store given)', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const own = managerFor(s, clock);
    const shared = managerFor(s, clock, { store: new MemoryTokenStore({ now: clock.now }) });
    defer(t, () => s.emu.close());
    const ownToken = await own.getToken();
    const sharedToken = await shared.getToken();
    await own.close();
    await shared.close();
    const live = (await s.emu.admin.listTokens(s.channelId)).map((t) => t.accessToken);
    assert.deepEqual(live, [sharedToken], 'the store-kept token stays for the next reader');
    assert.ok(!live.includes(ownToken));
  });

  test('a wrong channel secret: 50 lifetimes of callers, at most maxPermanentFailures issue requests', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'short-lived');
    const manager = managerFor(s, clock, {
      strategy: { type: 'short-lived', channelId: s.channelId, channelSecret: 'not-the-secret' },
      retry: { permanentFailureLimit: 3 },
    });
    defer(t, async () => {
      await manager.close();
      await s.emu.close();
    });
    for (let step = 0; step < 50 * 60; step++) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, () => manager.getToken()),
      );
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        const err = r.reason as TokenUnavailableError;
        assert.ok(err instanceof TokenUnavailableError);
        assert.equal(err.permanent, true);
        assert.match(err.message, /invalid client_secret/);
        assert.match(err.hint ?? '', /channel secret/);
        assert.ok(!err.message.includes('not-the-secret'), 'the secret never appears');
      }
      await clock.advance(DAY / 2);
    }
    assert.equal((await s.emu.admin.stats()).requests['issueShortLived'], 3);
    assert.equal(manager.status().stopped, true);
  });

  test('a key deleted mid-run: the current token is served to its margin, then a permanent error; attempts bounded', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const manager = managerFor(s, clock, { retry: { permanentFailureLimit: 2 } });
    defer(t, async () => {
      await manager.close();
      await s.emu.close();
    });
    const token = await manager.getToken();
    await s.emu.admin.deleteKey(s.channelId, s.kid!);
    let served = 0;
    let refused: unknown;
    for (let minute = 1; minute <= 120; minute++) {
      await clock.advance(60_000);
      try {
        assert.equal(await manager.getToken(), token);
        served++;
      } catch (err) {
        refused = err;
        break;
      }
      await manager.idle();
    }
    assert.ok(served >= 58, `served until the margin (${served} minutes)`);
    assert.ok(refused instanceof TokenUnavailableError);
    assert.equal(refused.permanent, true);
    assert.match(refused.message, /Cannot find channel key/);
    assert.match(
      refused.hint ?? '',
      /is not registered on any channel: register the key's public JWK/,
    );
    const { requests } = await s.emu.admin.stats();
    // Each attempt starts with the key-id listing, which already fails.
    assert.equal(requests['getValidKeyIds'], 1 + 2);
    assert.equal(requests['issueV21'], 1);
  });

  test('30 live v2.1 tokens issued elsewhere: refused before asking LINE, naming the key ids that block it', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    if (s.strategy.type !== 'v2.1') throw new Error('unreachable');
    const client = new ChannelAccessTokenClient({ baseUrl: s.emu.url, now: clock.now });
    const signer = createAssertionSigner({ ...s.strategy, now: clock.now });
    const foreign: IssuedTokenV21[] = [];
    for (let i = 0; i < 30; i++)
      foreign.push(await client.issueV21({ assertion: await signer.sign() }));
    const warnings: TokenManagerWarning[] = [];
    // Another program holds these: they count toward the ceiling, not the budget.
    const manager = managerFor(s, clock, { onWarning: (w) => warnings.push(w) });
    defer(t, async () => {
      await manager.close();
      await s.emu.close();
    });
    await assert.rejects(manager.getToken(), (err: unknown) => {
      assert.ok(err instanceof TokenUnavailableError);
      assert.equal(err.permanent, true);
      assert.match(err.message, /holds 30 live v2\.1 tokens/);
      for (const t of foreign)
        assert.ok(err.message.includes(t.keyId), 'every blocking key id is named');
      return true;
    });
    assert.equal(
      (await s.emu.admin.stats()).requests['issueV21'],
      30,
      'the manager asked LINE for nothing',
    );

    // Still at the ceiling (30 less the headroom of 2) after two are freed: refused again.
    for (const t of foreign.slice(0, 3)) {
      await client.revokeV21({
        channelId: s.channelId,
        channelSecret: s.secret,
        accessToken: t.accessToken,
      });
      if (t === foreign[1]) {
        await clock.advance(60_000);
        await assert.rejects(
          manager.getToken(),
          /holds 28 live v2\.1 tokens, at or over the manager's ceiling of 28/,
        );
      }
    }
    // A third freed: the manager takes the last slot below the ceiling, and warns.
    await clock.advance(60_000);
    const token = await manager.getToken();
    assert.ok((await s.emu.admin.listTokens(s.channelId)).some((t) => t.accessToken === token));
    const near = warnings.find((w) => w.code === 'NEAR_TOKEN_LIMIT');
    assert.ok(near);
    assert.match(near.message, /27 of 30 live v2\.1 tokens, one below the manager's ceiling of 28/);
    assert.ok(
      warnings.some((w) => w.code === 'FOREIGN_TOKENS'),
      'other holders named',
    );
    assert.equal(manager.status().foreignTokens, 27);
    assert.equal(manager.status().unaccountedTokens, 0);
  });

  test('three managers sharing one store: one issue per rotation for all of them, 20 rotations', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    const store = new MemoryTokenStore({ now: clock.now });
    const managers = [0, 1, 2].map(() => managerFor(s, clock, { store }));
    defer(t, async () => {
      await Promise.all(managers.map((m) => m.close()));
      await s.emu.close();
    });
    for (let rotation = 0; rotation <= 20; rotation++) {
      const tokens = await Promise.all(
        managers.flatMap((m) => Array.from({ length: 100 }, () => m.getToken())),
      );
      await Promise.all(managers.map((m) => m.idle()));
      const now = await Promise.all(managers.map((m) => m.getToken()));
      assert.equal(new Set(now).size, 1, 'all on one token');
      const live = await s.emu.admin.listTokens(s.channelId);
      assert.ok(live.length <= 2);
      for (const t of new Set(tokens)) assert.ok(live.some((l) => l.accessToken === t));
      assert.equal((await s.emu.admin.stats()).requests['issueV21'], rotation + 1);
      await clock.advance(47 * 60_000); // past the shared refresh time (46.5 min into the hour)
      await Promise.all(managers.map((m) => m.idle()));
    }
  });

  test('static: a long-lived token is passed through; after a 401 report it is no longer handed out', async () => {
    const clock = new FakeClock();
    const s = await setup(clock, 'short-lived');
    const { accessToken } = await s.emu.admin.issueLongLived(s.channelId);
    const manager = new TokenManager({ strategy: { type: 'static', accessToken }, now: clock.now });
    assert.equal(await manager.getToken(), accessToken);
    await manager.invalidate(accessToken);
    await assert.rejects(manager.getToken(), (err: unknown) => {
      assert.ok(err instanceof TokenUnavailableError);
      assert.match(err.hint ?? '', /long-lived token in the LINE Developers Console/);
      return true;
    });
    assert.equal(manager.status().stopped, true);
    assert.equal(manager.status().lastError?.at, clock.now());
    assert.ok(!JSON.stringify(manager.status()).includes(accessToken));
    await s.emu.close();
  });

  test('static with an expiry: served until the margin, then refused', async () => {
    const clock = new FakeClock();
    const manager = new TokenManager({
      strategy: { type: 'static', accessToken: 'long-lived-token', expiresAt: clock.now() + DAY },
      now: clock.now,
    });
    clock.jump(DAY - 30_001);
    assert.equal(await manager.getToken(), 'long-lived-token');
    clock.jump(1);
    await assert.rejects(manager.getToken(), /the static token has expired/);
  });
});
