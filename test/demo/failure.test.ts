import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeFailure, exitCodeFor, isConfigProblem } from '../../src/demo/failure.js';
import {
  InvalidArgumentError,
  InvalidKeyError,
  LineApiError,
  LineNetworkError,
  TokenUnavailableError,
} from '../../src/errors.js';

describe('exitCodeFor', () => {
  test('2 for configuration problems, also when the manager wraps them', () => {
    assert.equal(exitCodeFor(new InvalidArgumentError('LINE_TOKEN_TYPE', 'bad')), 2);
    assert.equal(exitCodeFor(new InvalidKeyError('bad key')), 2);
    const wrapped = new TokenUnavailableError(
      'no token',
      { permanent: true },
      { cause: new InvalidKeyError('bad key') },
    );
    assert.equal(isConfigProblem(wrapped), true);
    assert.equal(exitCodeFor(wrapped), 2);
  });

  test('1 for failures at run time', () => {
    const refused = new TokenUnavailableError(
      'no token',
      { permanent: true },
      { cause: new Error('LINE said no') },
    );
    assert.equal(exitCodeFor(refused), 1);
    assert.equal(exitCodeFor(new TypeError('bug')), 1);
    assert.equal(exitCodeFor('a string'), 1);
  });
});

describe('describeFailure', () => {
  test('our errors show their message', () => {
    assert.equal(describeFailure(new InvalidArgumentError('X', 'X must be set')), 'X must be set');
  });

  test('network errors add the system code found in their causes', () => {
    const cause = new Error('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    const text = describeFailure(new LineNetworkError('issueV21', { cause }));
    assert.equal(
      text,
      'network error during issueV21: could not reach the LINE API (ECONNREFUSED)',
    );
  });

  test('a foreign error is named, its message (which may quote a key) is not', () => {
    const text = describeFailure(new SyntaxError('Unexpected token in JSON: {"d":"SECRETKEY"'));
    assert.equal(text, 'unexpected SyntaxError');
    assert.equal(describeFailure(42), 'unexpected failure (number)');
  });

  test('a LINE answer keeps what LINE said', () => {
    const err = new LineApiError({
      status: 400,
      error: 'invalid_client',
      errorDescription: 'invalid client_secret',
      operation: 'issueStateless',
    });
    assert.equal(
      describeFailure(err),
      'LINE answered issueStateless with HTTP 400: invalid_client: invalid client_secret',
    );
  });
});
