import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VirtualClock } from '../../src/demo/virtual-clock.js';
import { seededRandom } from '../../src/internal/seeded-random.js';

describe('VirtualClock', () => {
  test('reads its start time and moves only when advanced', async () => {
    const clock = new VirtualClock(1_000);
    assert.equal(clock.now(), 1_000);
    await clock.advanceTo(5_000);
    assert.equal(clock.now(), 5_000);
  });

  test('fires due timers in time order, each seeing its own time', async () => {
    const clock = new VirtualClock(0);
    const seen: Array<[string, number]> = [];
    clock.setTimeout(() => seen.push(['c', clock.now()]), 300);
    clock.setTimeout(() => seen.push(['a', clock.now()]), 100);
    clock.setTimeout(() => seen.push(['b', clock.now()]), 200);
    clock.setTimeout(() => seen.push(['late', clock.now()]), 10_000);
    await clock.advanceTo(1_000);
    assert.deepEqual(seen, [
      ['a', 100],
      ['b', 200],
      ['c', 300],
    ]);
    assert.equal(clock.now(), 1_000);
    assert.equal(clock.pending, 1);
  });

  test('timers due at the same time run in the order they were set', async () => {
    const clock = new VirtualClock(0);
    const order: number[] = [];
    for (const n of [1, 2, 3]) clock.setTimeout(() => order.push(n), 50);
    await clock.advanceTo(50);
    assert.deepEqual(order, [1, 2, 3]);
  });

  test('awaits settle after each timer before moving on', async () => {
    const clock = new VirtualClock(0);
    const log: string[] = [];
    clock.setTimeout(() => log.push(`fire@${clock.now()}`), 10);
    clock.setTimeout(() => log.push(`fire@${clock.now()}`), 20);
    await clock.advanceTo(100, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`settled@${clock.now()}`);
    });
    assert.deepEqual(log, ['fire@10', 'settled@10', 'fire@20', 'settled@20']);
  });

  test('a timer set by a callback inside the range fires in the same advance', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 60);
      clock.setTimeout(() => fired.push(clock.now()), 0);
    }, 40);
    await clock.advanceTo(100);
    assert.deepEqual(fired, [40, 40, 100]);
  });

  test('clearTimeout cancels; unknown handles are ignored', async () => {
    const clock = new VirtualClock(0);
    let fired = false;
    const handle = clock.setTimeout(() => (fired = true), 10);
    clock.clearTimeout(handle);
    clock.clearTimeout('not a handle');
    clock.clearTimeout(undefined);
    await clock.advanceTo(100);
    assert.equal(fired, false);
    assert.equal(clock.pending, 0);
  });

  test('negative or non-finite delays count as zero', async () => {
    const clock = new VirtualClock(500);
    const at: number[] = [];
    clock.setTimeout(() => at.push(clock.now()), -10);
    clock.setTimeout(() => at.push(clock.now()), Number.NaN);
    await clock.advanceTo(500);
    assert.deepEqual(at, [500, 500]);
  });

  test('refuses to move backwards and to start from a non-finite time', async () => {
    const clock = new VirtualClock(100);
    await assert.rejects(clock.advanceTo(99), RangeError);
    assert.throws(() => new VirtualClock(Number.NaN), TypeError);
  });
});

describe('seededRandom', () => {
  test('the same seed gives the same sequence, another seed another one', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const seqA = Array.from({ length: 20 }, () => a());
    const seqB = Array.from({ length: 20 }, () => b());
    const seqC = Array.from({ length: 20 }, () => c());
    assert.deepEqual(seqA, seqB);
    assert.notDeepEqual(seqA, seqC);
  });

  test('stays in [0, 1) and spreads over it', () => {
    const random = seededRandom(1);
    const values = Array.from({ length: 2_000 }, () => random());
    assert.ok(values.every((v) => v >= 0 && v < 1));
    assert.ok(values.some((v) => v < 0.1));
    assert.ok(values.some((v) => v > 0.9));
  });
});
