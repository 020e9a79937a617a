// The registry's issue limiter: never more than its bound in flight, queued work starts
// earliest deadline first, each endpoint paced under LINE's rate, and a 429 pauses only
// the endpoint that said so. Driven by held promises and a fake clock, never wall time.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChannelAccessTokenClient } from '../../../src/client/client.js';
import { LineApiError, LineNetworkError } from '../../../src/errors.js';
import { classifyFailure } from '../../../src/internal/failure.js';
import { limitedClient } from '../../../src/manager/registry/limited-client.js';
import { IssueLimiter } from '../../../src/manager/registry/limiter.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';

/** A task the test releases by hand; records when it started. */
function held(started: string[], name: string) {
  let release!: () => void;
  let fail!: (err: unknown) => void;
  const done = new Promise<string>((resolve, reject) => {
    release = () => resolve(name);
    fail = reject;
  });
  return {
    task: () => {
      started.push(name);
      return done;
    },
    release: () => release(),
    fail: (err: unknown) => fail(err),
  };
}

const FAST = { issueShortLived: 1e6, issueV21: 1e6, issueStateless: 1e6 };

describe('IssueLimiter', () => {
  test('never runs more than maxConcurrent at once, and starts the next as one ends', async () => {
    const clock = new FakeClock();
    const limiter = new IssueLimiter({
      maxConcurrent: 3,
      now: clock.now,
      timers: clock,
      ratePerSec: FAST,
    });
    const started: string[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) => held(started, `t${i}`));
    const results = tasks.map((t, i) => limiter.run('issueStateless', i, t.task));
    await settle();
    assert.equal(started.length, 3);
    assert.deepEqual(limiter.status(), {
      inFlight: 3,
      queued: 7,
      peakInFlight: 3,
      pausedUntil: {},
    });
    for (const t of tasks) {
      t.release();
      await settle();
      assert.ok(limiter.status().inFlight <= 3);
    }
    assert.deepEqual(
      await Promise.all(results),
      tasks.map((_, i) => `t${i}`),
    );
    assert.equal(limiter.status().peakInFlight, 3);
    assert.equal(limiter.status().queued, 0);
  });

  test('queued work starts earliest deadline first, whatever the order it came in', async () => {
    const clock = new FakeClock();
    const limiter = new IssueLimiter({
      maxConcurrent: 1,
      now: clock.now,
      timers: clock,
      ratePerSec: FAST,
    });
    const started: string[] = [];
    const first = held(started, 'first');
    void limiter.run('issueStateless', 0, first.task);
    const deadlines = [500, 100, 900, 300, 700];
    const later = deadlines.map((d) => held(started, `d${d}`));
    later.forEach((t, i) => void limiter.run('issueStateless', deadlines[i]!, t.task));
    await settle();
    first.release();
    for (const t of later) {
      await settle();
      t.release();
    }
    await settle();
    assert.deepEqual(started, ['first', 'd100', 'd300', 'd500', 'd700', 'd900']);
  });

  test("a 429 pauses only its endpoint, for LINE's Retry-After", async () => {
    const clock = new FakeClock();
    const limiter = new IssueLimiter({
      maxConcurrent: 4,
      now: clock.now,
      timers: clock,
      ratePerSec: FAST,
    });
    const started: string[] = [];
    const limited = held(started, 'v21-a');
    const failing = limiter.run('issueV21', 0, limited.task);
    await settle();
    limited.fail(new LineApiError({ operation: 'issueV21', status: 429, retryAfterSec: 30 }));
    await assert.rejects(failing, LineApiError);
    assert.deepEqual(limiter.status().pausedUntil, { issueV21: clock.now() + 30_000 });

    const v21 = held(started, 'v21-b');
    const stateless = held(started, 'stateless');
    void limiter.run('issueV21', 1, v21.task);
    void limiter.run('issueStateless', 2, stateless.task);
    await settle();
    assert.deepEqual(started, ['v21-a', 'stateless'], 'the other endpoint runs on');
    await clock.advance(29_999);
    assert.deepEqual(started, ['v21-a', 'stateless']);
    await clock.advance(1);
    await settle();
    assert.deepEqual(started, ['v21-a', 'stateless', 'v21-b'], 'resumes when Retry-After ends');
  });

  test("paces an endpoint at its rate: a second's worth at once, then one per 1/rate s", async () => {
    const clock = new FakeClock();
    const limiter = new IssueLimiter({
      maxConcurrent: 100,
      now: clock.now,
      timers: clock,
      ratePerSec: { ...FAST, issueShortLived: 2 },
    });
    const started: string[] = [];
    for (let i = 0; i < 5; i++) void limiter.run('issueShortLived', i, held(started, `s${i}`).task);
    await settle();
    assert.equal(started.length, 2, 'the bucket holds one second of requests');
    await clock.advance(499);
    assert.equal(started.length, 2);
    await clock.advance(1);
    await settle();
    assert.equal(started.length, 3);
    await clock.advance(1_000);
    await settle();
    assert.equal(started.length, 5);
  });

  test('the default pace is half of LINE_FACTS.issueRatePerSec per endpoint', async () => {
    const { LINE_FACTS } = await import('../../../src/line/facts.js');
    const clock = new FakeClock();
    const limiter = new IssueLimiter({ maxConcurrent: 10_000, now: clock.now, timers: clock });
    const started: string[] = [];
    for (let i = 0; i < 400; i++)
      void limiter.run('issueShortLived', i, held(started, `s${i}`).task);
    await settle();
    assert.equal(started.length, LINE_FACTS.issueRatePerSec.issueShortLived / 2);
  });

  test("a manager's issue whose timeout fired while queued fails as never sent, and LINE is not called", async () => {
    const clock = new FakeClock();
    const limiter = new IssueLimiter({
      maxConcurrent: 1,
      now: clock.now,
      timers: clock,
      ratePerSec: FAST,
    });
    const started: string[] = [];
    const blocker = held(started, 'blocker');
    void limiter.run('issueV21', 0, blocker.task);
    let calls = 0;
    const call = () => {
      calls++;
      return Promise.resolve({ accessToken: 't', expiresIn: 60 });
    };
    const fake = {
      issueShortLived: call,
      issueV21: call,
      issueStateless: call,
      verify: call,
      revoke: call,
      verifyV21: call,
      revokeV21: call,
      getValidKeyIds: call,
    } as unknown as ChannelAccessTokenClient;
    const client = limitedClient(fake, limiter, clock.now);
    const controller = new AbortController();
    const queued = client.issueV21({ assertion: 'a' }, { signal: controller.signal });
    controller.abort();
    blocker.release();
    await assert.rejects(queued, (err: unknown) => {
      assert.ok(err instanceof LineNetworkError);
      assert.equal(classifyFailure(err)?.kind, 'not-sent', 'costs no v2.1 slot budget');
      return true;
    });
    assert.equal(calls, 0);
    // Not aborted: passes through, once a place is free.
    await client.issueV21({ assertion: 'a' });
    assert.equal(calls, 1);
  });
});
