// The manager against the emulator under its faults (30% 5xx, 10% 429 with Retry-After,
// 5% connection resets, added latency) through 50 token lifetimes per strategy, on one
// fake clock: no getToken() fails while a servable token exists, and no token is wasted;
// a permanent error gets its configured number of attempts and not one more.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenUnavailableError } from '../../src/errors.js';
import { TokenManager } from '../../src/manager/manager.js';
import type { RefreshErrorEvent } from '../../src/manager/types.js';
import { seeded, setup } from './helpers/emulator.js';
import { countingFetch, drive, FakeClock } from './helpers/fake-clock.js';
import { FAULTS, LIFETIMES, runLifetimes, STRATEGIES } from './helpers/lifetimes.js';
import { defer } from '../fixtures.js';

describe(`under faults (30% 5xx, 10% 429 + Retry-After, 5% resets, latency) through ${LIFETIMES} lifetimes`, () => {
  for (const { name, revokeOp, keepWarm } of STRATEGIES) {
    test(`${name}: zero failed getToken() while a valid token existed, no token wasted`, async () => {
      const run = await runLifetimes(name, { faults: FAULTS, ...(keepWarm ? { keepWarm } : {}) });
      assert.deepEqual(run.invalidServed, []);
      assert.equal(run.failedWhileValid, 0, 'no failure while a servable token existed');
      assert.ok(run.refreshErrors.length > 0, 'the faults did hit the refreshes');
      assert.ok(
        run.refreshErrors.every((e) => !e.permanent),
        'faults are never taken for permanent failures',
      );
      assert.ok(run.served.size >= LIFETIMES);
      assert.equal(
        run.issuedInRun,
        run.served.size,
        'every issued token was used: no duplicate issue',
      );
      assert.ok(run.issueRequestsInRun >= run.served.size);
      if (revokeOp !== undefined)
        assert.equal(run.liveAtEnd, 0, 'every superseded token was revoked in the end');
      if (name === 'v2.1')
        assert.ok(run.maxLive <= 2, `at most two live v2.1 tokens (saw ${run.maxLive})`);
    });
  }
});

describe('a permanent error under the same faults', () => {
  test('a wrong secret: exactly maxPermanentFailures attempts reach a verdict, then none at all for 50 lifetimes', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'stateless-secret');
    const http = countingFetch();
    const refreshErrors: RefreshErrorEvent[] = [];
    const manager = new TokenManager({
      strategy: { type: 'stateless', channelId: s.channelId, channelSecret: 'wrong-secret' },
      clientOptions: { baseUrl: s.emu.url, fetch: http.fetch },
      now: clock.now,
      timers: clock,
      random: seeded(3),
      retry: { permanentFailureLimit: 3 },
      onRefreshError: (e) => refreshErrors.push(e),
    });
    clock.busy = http.busy;
    await s.emu.admin.setFaults(FAULTS);
    defer(t, async () => {
      await manager.close();
      await s.emu.close();
    });
    let requestsWhenStopped: number | undefined;
    const end = clock.now() + LIFETIMES * s.lifetimeMs;
    while (clock.now() < end) {
      const outcome = await drive(clock, manager.getToken(), http.busy);
      assert.equal(outcome.status, 'rejected', 'no token can be had with a wrong secret');
      if (manager.status().stopped && requestsWhenStopped === undefined) {
        requestsWhenStopped = (await s.emu.admin.stats()).requests['issueStateless'];
      }
      await clock.advance(60_000);
    }
    assert.equal(refreshErrors.filter((e) => e.permanent).length, 3);
    assert.ok(
      refreshErrors.some((e) => !e.permanent),
      'faults hit some attempts too; those do not count toward the three',
    );
    assert.equal(manager.status().stopped, true);
    assert.ok(requestsWhenStopped !== undefined);
    assert.equal(
      (await s.emu.admin.stats()).requests['issueStateless'],
      requestsWhenStopped,
      'not one request after giving up',
    );
    await assert.rejects(manager.getToken(), (err: unknown) => {
      assert.ok(err instanceof TokenUnavailableError);
      assert.equal(err.permanent, true);
      assert.match(err.message, /Invalid 'client_credentials'/);
      return true;
    });
  });
});
