// The manager against the emulator under its faults (30% 5xx, 10% 429 with Retry-After,
// 5% connection resets, added latency) through 50 token lifetimes per strategy, on one
// fake clock: no getToken() fails while a servable token exists, and no token is wasted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIFETIMES, runLifetimes, STRATEGIES, FAULTS } from './helpers/lifetimes.js';

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
