// The demo in this process (src, not dist): its counts and its own checks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runDemo } from '../../src/demo/demo-mode.js';
import { demoProblems } from '../../src/demo/report.js';
import { styleFor } from '../../src/demo/timeline.js';
import { assertNoTokens } from './helpers.js';

describe('runDemo', () => {
  test('three rotations of one-day tokens: one issue each, every superseded token revoked', async () => {
    const lines: string[] = [];
    const summary = await runDemo({
      write: (l) => lines.push(l),
      style: styleFor(false, {}),
      rotations: 3,
    });
    assert.deepEqual(demoProblems(summary), []);
    assert.equal(summary.issued, 4);
    assert.equal(summary.revoked, 3);
    assert.equal(summary.requests.issue, 4);
    assert.equal(summary.requests.revoke, 3);
    // One key-id listing before each issue: the 30-token limit check.
    assert.equal(summary.requests.listKeyIds, 4);
    assert.equal(summary.maxLive, 2);
    assert.equal(summary.liveAtEnd, 1);
    assert.equal(summary.rejected, 0);
    assert.equal(summary.calls % 5, 0);
    assert.ok(summary.calls >= 5 * 15);
    assert.deepEqual(summary.managerCounts.failures, 0);
    assert.equal(lines.filter((l) => /^day .* refreshed {2}/.test(l)).length, 3);
    assertNoTokens(lines.join('\n'));
  });

  test('tokens shorter than a step still rotate on the manager timer, between the calls', async () => {
    const lines: string[] = [];
    const summary = await runDemo({
      write: (l) => lines.push(l),
      style: styleFor(false, {}),
      rotations: 5,
      tokenExpSec: 3_600,
    });
    assert.deepEqual(demoProblems(summary), []);
    assert.ok(summary.issued >= 6);
    assert.equal(summary.requests.issue, summary.issued);
    assert.equal(summary.revoked, summary.issued - 1);
    // Each 4-hour step spans several one-hour lifetimes, so few rounds of calls were needed.
    const callRows = lines.filter((l) => /^day .* calls {2}/.test(l)).length;
    assert.ok(callRows < summary.issued, `${callRows} rounds for ${summary.issued} tokens`);
    assert.equal(summary.rejected, 0);
  });
});
