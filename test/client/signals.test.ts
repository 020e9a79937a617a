// The abort plumbing: linking signals (native AbortSignal.any and the fallback for
// runtimes without it) and the cancellable sleep used as the default retry delay.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { linkSignals, sleep } from '../../src/client/internal/signals.js';

for (const [name, impl] of [
  ['native AbortSignal.any', undefined],
  ['fallback', null],
] as const) {
  describe(`linkSignals (${name})`, () => {
    test('aborts with the reason of whichever source aborts first', () => {
      const a = new AbortController();
      const b = new AbortController();
      const linked = linkSignals([a.signal, b.signal], impl);
      assert.equal(linked.signal.aborted, false);
      const reason = new Error('b first');
      b.abort(reason);
      a.abort(new Error('a later'));
      assert.equal(linked.signal.aborted, true);
      assert.equal(linked.signal.reason, reason);
      linked.dispose();
    });

    test('starts aborted when a source already is', () => {
      const reason = new Error('early');
      const linked = linkSignals([new AbortController().signal, AbortSignal.abort(reason)], impl);
      assert.equal(linked.signal.aborted, true);
      assert.equal(linked.signal.reason, reason);
    });
  });
}

test('the fallback stops following its sources once disposed', () => {
  const source = new AbortController();
  const linked = linkSignals([source.signal], null);
  linked.dispose();
  source.abort();
  assert.equal(linked.signal.aborted, false);
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
