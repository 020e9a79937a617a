// Bad arguments are TypeErrors, as in jose and Node, so callers can tell them apart, without losing
// what makes them line-token errors: the class checks, the code, the safe JSON and inspect.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import {
  InvalidArgumentError,
  InvalidKeyError,
  LineApiError,
  LineTokenError,
  TokenStoreError,
  type AnyLineTokenError,
} from '../../src/index.js';

function codeOf(err: AnyLineTokenError): string {
  // Narrowing by the literal code still reaches the subclass's own fields.
  switch (err.code) {
    case 'ERR_LINE_INVALID_ARGUMENT':
      return `argument ${err.argument}`;
    case 'ERR_LINE_API':
      return `status ${err.status}`;
    default:
      return err.code;
  }
}

describe('InvalidArgumentError is TypeError-compatible', () => {
  const err = new InvalidArgumentError('timeoutMs', '"timeoutMs" option must be positive');

  test('is a TypeError, a LineTokenError and an InvalidArgumentError at once', () => {
    assert.ok(err instanceof TypeError);
    assert.ok(err instanceof Error);
    assert.ok(err instanceof LineTokenError);
    assert.ok(err instanceof InvalidArgumentError);
    assert.ok(!(err instanceof LineApiError));
    assert.equal(err.constructor, InvalidArgumentError);
    assert.equal(Object.prototype.toString.call(err), '[object Error]');
  });

  test('keeps its name, code, argument, JSON view and inspect output', () => {
    assert.equal(err.name, 'InvalidArgumentError');
    assert.equal(String(err), 'InvalidArgumentError: "timeoutMs" option must be positive');
    assert.equal(err.code, 'ERR_LINE_INVALID_ARGUMENT');
    assert.deepEqual(err.toJSON(), {
      name: 'InvalidArgumentError',
      code: 'ERR_LINE_INVALID_ARGUMENT',
      message: '"timeoutMs" option must be positive',
      argument: 'timeoutMs',
    });
    assert.match(inspect(err), /\{"argument":"timeoutMs"\}/);
    assert.equal(codeOf(err), 'argument timeoutMs');
  });

  test('leaves the other errors plain Errors', () => {
    for (const other of [
      new LineApiError({ operation: 'issueV21', status: 400 }),
      new InvalidKeyError('bad key'),
      new TokenStoreError('down'),
    ]) {
      assert.ok(!(other instanceof TypeError), other.name);
      assert.ok(other instanceof LineTokenError);
      assert.ok(!(other instanceof InvalidArgumentError));
    }
  });

  test('is what the library throws for a bad option', async () => {
    const { ChannelAccessTokenClient } = await import('../../src/index.js');
    assert.throws(
      () => new ChannelAccessTokenClient({ timeoutMs: -1 }),
      (thrown: unknown) => thrown instanceof TypeError && thrown instanceof InvalidArgumentError,
    );
  });
});
