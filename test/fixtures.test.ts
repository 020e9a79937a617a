// The fixture helper's cleanup contract, on a stand-in scope whose `after` hooks the test runs
// itself: cleanups run last-registered first (like nested finally blocks), every one runs even
// when an earlier one throws, and the first error still reaches the test.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { closeAfter, defer, tempDirFor, type Scope } from './fixtures.js';

/** A scope like a test context's, whose hooks run when `end()` is called. */
function fakeScope(): Scope & { end(): Promise<void>; hooks: number } {
  const hooks: Array<() => unknown> = [];
  return {
    after: (fn) => void hooks.push(fn),
    get hooks() {
      return hooks.length;
    },
    async end() {
      for (const hook of hooks) await hook();
    },
  };
}

test('cleanups run last-registered first, through one after hook', async () => {
  const scope = fakeScope();
  const order: string[] = [];
  defer(scope, () => order.push('emulator'));
  const manager = closeAfter(scope, { close: async () => void order.push('manager') });
  defer(scope, () => order.push('server'));
  assert.equal(scope.hooks, 1);
  assert.deepEqual(order, [], 'nothing runs before the test ends');
  await scope.end();
  assert.deepEqual(order, ['server', 'manager', 'emulator']);
  assert.equal(typeof manager.close, 'function', 'closeAfter hands the resource back');
});

test('a throwing cleanup does not stop the others, and its error is thrown', async () => {
  const scope = fakeScope();
  const ran: string[] = [];
  defer(scope, () => ran.push('first'));
  defer(scope, () => {
    throw new Error('close failed');
  });
  defer(scope, () => ran.push('last'));
  await assert.rejects(scope.end(), /close failed/);
  assert.deepEqual(ran, ['last', 'first']);
});

test('tempDirFor makes a fresh folder and removes it at the end', async () => {
  const scope = fakeScope();
  const a = tempDirFor(scope, 'line-token-fixture-');
  const b = tempDirFor(scope, 'line-token-fixture-');
  assert.notEqual(a, b);
  assert.ok(existsSync(a) && existsSync(b));
  await scope.end();
  assert.ok(!existsSync(a) && !existsSync(b));
});
