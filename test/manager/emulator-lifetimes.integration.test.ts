// The manager against the emulator with ONE fake clock driving both, through 50 token
// lifetimes per strategy: every token a caller receives is live at that instant, one issue
// request per rotation, every superseded token revoked. (Faults: emulator-faults.test.ts.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIFETIMES, runLifetimes, STRATEGIES } from './helpers/lifetimes.js';

describe(`the manager on the emulator's clock through ${LIFETIMES} lifetimes`, () => {
  for (const { name, issueOp, revokeOp, keepWarm } of STRATEGIES) {
    test(`${name}${keepWarm ? ' (keepWarm)' : ''}: never an expired or revoked token, one issue per rotation, superseded tokens revoked`, async () => {
      const run = await runLifetimes(name, keepWarm ? { keepWarm } : {});
      assert.deepEqual(run.invalidServed, [], 'every served token was live at that instant');
      assert.equal(run.failedWhileValid + run.failedCold, 0, 'no getToken() failed');
      assert.ok(
        run.served.size >= LIFETIMES,
        `at least ${LIFETIMES} rotations (got ${run.served.size})`,
      );
      assert.equal(
        run.issueRequestsInRun,
        run.served.size,
        'issue requests = rotations (distinct tokens served)',
      );
      assert.equal(run.issuedInRun, run.served.size);
      assert.equal(run.stats[issueOp], run.counts.issued);
      assert.equal(run.issued.length, run.counts.issued);
      assert.equal(run.refreshErrors.length, 0);
      if (revokeOp !== undefined) {
        assert.equal(
          run.stats[revokeOp],
          run.counts.issued - 1,
          'each superseded token revoked once',
        );
        assert.equal(run.revokedEvents, run.counts.issued - 1);
        assert.equal(run.liveAtEnd, 0, 'no live token but the current one');
      }
      if (name === 'v2.1') {
        assert.ok(run.maxLive <= 2, `at most two live v2.1 tokens (saw ${run.maxLive})`);
        // The key-id check runs once before each issue.
        assert.equal(run.stats['getValidKeyIds'], run.counts.issued);
      }
    });
  }
});
