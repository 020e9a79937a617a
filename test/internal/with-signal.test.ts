// withSignal lets a caller stop waiting for work it cannot cancel (a shared refresh, a
// registry's load): it settles like the work, or rejects with the signal's reason at once.
// The work's own failure after that belongs to no caller, and must never surface as an
// unhandled rejection, which would crash a process run with Node's defaults.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withSignal } from '../../src/internal/with-signal.js';

/** Work the test settles by hand. */
function work<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The unhandled rejections seen while `body` runs and two turns of the loop after it. */
async function unhandledDuring(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onUnhandled = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    await body();
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return seen;
}

describe('withSignal', () => {
  test('without a signal it is the work itself', () => {
    const w = work<string>();
    assert.equal(withSignal(w.promise, undefined), w.promise);
  });

  test('settles like the work while the signal stays quiet', async () => {
    const w = work<string>();
    const waited = withSignal(w.promise, new AbortController().signal);
    w.resolve('token');
    assert.equal(await waited, 'token');
    const failing = work<string>();
    const failed = withSignal(failing.promise, new AbortController().signal);
    const error = new Error('refused');
    failing.reject(error);
    await assert.rejects(failed, (e) => e === error);
  });

  test('rejects with the reason when the signal aborts; the work failing later is no one’s', async () => {
    const w = work<string>();
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const seen = await unhandledDuring(async () => {
      const waited = withSignal(w.promise, controller.signal);
      controller.abort(reason);
      await assert.rejects(waited, (e) => e === reason);
      w.reject(new Error('the shared refresh failed'));
    });
    assert.deepEqual(seen, []);
  });

  test('an already aborted signal rejects at once; the work failing later is no one’s', async () => {
    const w = work<string>();
    const reason = new Error('aborted before the call');
    const seen = await unhandledDuring(async () => {
      await assert.rejects(withSignal(w.promise, AbortSignal.abort(reason)), (e) => e === reason);
      w.reject(new Error('the shared load failed'));
    });
    assert.deepEqual(seen, []);
  });
});
