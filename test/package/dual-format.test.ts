// The package ships ESM and CommonJS builds (scripts/build.mjs). An app that loads both (its
// own `import`, a dependency's `require`) holds two copies of every class; these tests guard
// that error checks work across the copies and that `require` gets the whole API.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const require = createRequire(import.meta.url);
const esm = (await import('../../dist/index.js')) as unknown as typeof import('../../src/index.js');
const cjs = require('../../dist/cjs/index.js') as unknown as typeof import('../../src/index.js');

test('require() and import give the same named exports', () => {
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(esm).sort());
  assert.notEqual(cjs.LineApiError, esm.LineApiError, 'two builds, two copies of each class');
});

test('instanceof holds across the ESM and CommonJS copies of an error class', () => {
  const fromCjs = new cjs.LineApiError({ operation: 'issueV21', status: 400 });
  assert.ok(fromCjs instanceof esm.LineApiError);
  assert.ok(fromCjs instanceof esm.LineTokenError);
  assert.ok(!(fromCjs instanceof esm.LineNetworkError), 'the brand names the class, not any error');
  const fromEsm = new esm.TokenUnavailableError('no token', { permanent: false });
  assert.ok(fromEsm instanceof cjs.TokenUnavailableError);
  assert.ok(fromEsm instanceof cjs.LineTokenError);
  assert.ok(!(fromEsm instanceof cjs.LineApiError));
});

test('InvalidArgumentError is a TypeError and a LineTokenError across the two builds', () => {
  for (const [from, to] of [
    [cjs, esm],
    [esm, cjs],
  ] as const) {
    const err = new from.InvalidArgumentError('timeoutMs', 'bad timeoutMs');
    assert.ok(err instanceof TypeError);
    assert.ok(err instanceof to.InvalidArgumentError);
    assert.ok(err instanceof to.LineTokenError);
    assert.ok(!(err instanceof to.LineApiError));
    assert.ok(!(new from.LineApiError({ operation: 'x', status: 400 }) instanceof TypeError));
  }
});

test('instanceof still refuses what is not a line-token error', () => {
  assert.ok(!(new Error('x') instanceof esm.LineTokenError));
  assert.ok(!((null as unknown) instanceof esm.LineTokenError));
  assert.ok(!(('ERR_LINE_API' as unknown) instanceof cjs.LineTokenError));
  const lookalike = Object.assign(new Error('x'), { name: 'LineApiError', code: 'ERR_LINE_API' });
  assert.ok(!(lookalike instanceof esm.LineApiError));
});

test('an error thrown by the CommonJS client is caught by the ESM class', async () => {
  const client = new cjs.ChannelAccessTokenClient({
    baseUrl: 'http://127.0.0.1:1',
    timeoutMs: 5_000,
  });
  await assert.rejects(client.verifyV21({ accessToken: 'a.b.c' }), (err: unknown) => {
    assert.ok(err instanceof esm.LineNetworkError);
    assert.ok(err instanceof esm.LineTokenError);
    return true;
  });
});
