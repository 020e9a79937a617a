import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  demoProblems,
  renderIntro,
  renderSummary,
  type DemoSummary,
} from '../../src/demo/report.js';
import { styleFor } from '../../src/demo/timeline.js';

const plain = styleFor(false, {});

const good: DemoSummary = {
  spanMs: 4 * 86_400_000,
  tokenExpSec: 86_400,
  wantedRotations: 5,
  issued: 6,
  revoked: 5,
  maxLive: 2,
  liveAtEnd: 1,
  calls: 125,
  rejected: 0,
  managerCounts: {
    issued: 6,
    adopted: 0,
    refreshes: 6,
    failures: 0,
    revocations: 5,
    invalidations: 0,
  },
  requests: { issue: 6, listKeyIds: 6, revoke: 5 },
};

describe('demoProblems', () => {
  test('a run that kept every promise has none', () => {
    assert.deepEqual(demoProblems(good), []);
  });

  const cases: Array<[string, Partial<DemoSummary>, RegExp]> = [
    [
      'too few rotations',
      {
        issued: 3,
        revoked: 2,
        managerCounts: { ...good.managerCounts, issued: 3, revocations: 2 },
        requests: { ...good.requests, issue: 3 },
      },
      /only 2 of 5 rotations/,
    ],
    [
      'a duplicate issue request',
      { requests: { ...good.requests, issue: 7 } },
      /7 issue requests for 6 tokens/,
    ],
    [
      'a superseded token left live',
      { revoked: 4, managerCounts: { ...good.managerCounts, revocations: 4 } },
      /1 superseded token\(s\) were not revoked/,
    ],
    ['three live tokens at once', { maxLive: 3 }, /held 3 live v2\.1 tokens/],
    ['a refused token served', { rejected: 2 }, /2 call\(s\) were served a token LINE refused/],
    [
      'hooks and status disagreeing',
      { managerCounts: { ...good.managerCounts, issued: 7 } },
      /status counts 7 issued/,
    ],
  ];
  for (const [name, change, expected] of cases) {
    test(`reports ${name}`, () => {
      const problems = demoProblems({ ...good, ...change });
      assert.equal(problems.length, 1, problems.join('; '));
      assert.match(problems[0] as string, expected);
    });
  }
});

describe('renderSummary', () => {
  test('says ok and lists the counts when all held', () => {
    const text = renderSummary(good, plain).join('\n');
    assert.match(text, /rotations +5 \(6 tokens issued\)/);
    assert.match(text, /issue requests +6 received by the emulator, one per token/);
    assert.match(text, /revocations +5 of 5 superseded tokens \(5 revoke requests\)/);
    assert.match(text, /max live tokens +2 at once/);
    assert.match(text, /calls served +125, all accepted/);
    assert.match(text, /expired tokens served +0/);
    assert.match(text, /\nok: /);
  });

  test('says not ok with the problems otherwise', () => {
    const text = renderSummary({ ...good, rejected: 1 }, plain).join('\n');
    assert.match(text, /calls served +125, 124 accepted/);
    assert.match(text, /not ok: 1 call\(s\) were served a token LINE refused/);
  });
});

describe('renderIntro', () => {
  test('names the emulator, the channel, a fingerprint of the kid and the plan', () => {
    const kid = '3644a20d-1111-4222-8333-444455556666';
    const text = renderIntro({
      url: 'http://127.0.0.1:1234',
      channelId: '1234567890',
      kid,
      tokenExpSec: 86_400,
      stepMs: 4 * 3_600_000,
      callsPerStep: 5,
      style: plain,
    }).join('\n');
    assert.match(text, /http:\/\/127\.0\.0\.1:1234/);
    assert.match(text, /1234567890/);
    assert.match(text, /kid 3644a20d…/);
    assert.ok(!text.includes(kid));
    assert.match(text, /v2\.1, 1 day each; refreshed in the last 20% of their life/);
    assert.match(text, /revoked after 1 min/);
    assert.match(text, /5 every 4h of virtual time/);
  });
});
