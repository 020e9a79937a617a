// The abort plumbing: one attempt's cancellation (caller's abort or our timeout), heard
// through a listener or a signal, and the cancellable sleep used as the retry delay.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { sleep } from '../../src/internal/sleep.js';
import { startAttempt } from '../../src/client/internal/signals.js';

const never = () => new Promise<never>(() => {});

describe('startAttempt', () => {
  test("the caller's abort aborts the signal and rejects run() with the caller's reason", async () => {
    const caller = new AbortController();
    const attempt = startAttempt(caller.signal, 600_000, () => new Error('timeout'));
    const pending = attempt.run(never);
    const reason = new Error('caller first');
    caller.abort(reason);
    assert.equal(attempt.signal.aborted, true);
    assert.equal(attempt.signal.reason, reason);
    assert.equal(attempt.timedOut, false);
    await assert.rejects(pending, (error) => error === reason);
    attempt.dispose();
  });

  test('the timer aborts with the timeout reason and says it timed out', async () => {
    const reason = new Error('timeout');
    const attempt = startAttempt(undefined, 1, () => reason);
    await assert.rejects(attempt.run(never), (error) => error === reason);
    assert.equal(attempt.timedOut, true);
    assert.equal(attempt.signal.reason, reason);
    attempt.dispose();
  });

  test('onCancel() hears the abort once, with its reason, and only the latest listener', async () => {
    const caller = new AbortController();
    const attempt = startAttempt(caller.signal, 600_000, () => 'timeout');
    const heard: unknown[] = [];
    attempt.onCancel(() => heard.push('replaced'));
    attempt.onCancel((reason) => heard.push(reason));
    const pending = attempt.run(never);
    const reason = new Error('stop');
    caller.abort(reason);
    await assert.rejects(pending, (error) => error === reason);
    assert.deepEqual(heard, [reason]);
    assert.equal(attempt.reason, reason);
    attempt.dispose();
  });

  test('a listener or signal asked for after the abort learns of it at once', async () => {
    const reason = new Error('timeout');
    const attempt = startAttempt(undefined, 1, () => reason);
    await assert.rejects(attempt.run(never), (error) => error === reason);
    const heard: unknown[] = [];
    attempt.onCancel((r) => heard.push(r));
    assert.deepEqual(heard, [reason]);
    // The signal is made on first read, already aborted.
    assert.equal(attempt.signal.aborted, true);
    assert.equal(attempt.signal.reason, reason);
    attempt.dispose();
  });

  test('run() settles like the work when nothing aborts', async () => {
    const attempt = startAttempt(new AbortController().signal, 600_000, () => 'timeout');
    assert.equal(await attempt.run(async () => 42), 42);
    const failure = new Error('work failed');
    await assert.rejects(
      attempt.run(() => Promise.reject(failure)),
      (error) => error === failure,
    );
    attempt.dispose();
  });

  test('after dispose() neither the timer nor the caller reaches the attempt', async () => {
    const caller = new AbortController();
    const attempt = startAttempt(caller.signal, 1, () => 'timeout');
    const heard: unknown[] = [];
    attempt.onCancel((r) => heard.push(r));
    attempt.dispose();
    caller.abort(new Error('late'));
    await sleep(20);
    assert.deepEqual(heard, []);
    assert.equal(attempt.reason, undefined);
    assert.equal(attempt.signal.aborted, false);
    assert.equal(attempt.timedOut, false);
  });
});

describe('sleep', () => {
  test('resolves after the wait', async () => {
    assert.equal(await sleep(1), undefined);
  });

  test('rejects with the reason when aborted during the wait', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = sleep(600_000, controller.signal);
    controller.abort(reason);
    await assert.rejects(pending, (error) => error === reason);
  });

  test('rejects at once when the signal is already aborted', async () => {
    const reason = new Error('already');
    await assert.rejects(sleep(600_000, AbortSignal.abort(reason)), (error) => error === reason);
  });
});
