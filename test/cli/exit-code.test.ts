import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeError, EXIT, exitCodeFor } from '../../src/cli/exit-code.js';
import {
  InvalidArgumentError,
  InvalidKeyError,
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
  TokenStoreError,
  TokenUnavailableError,
} from '../../src/errors.js';

describe('exitCodeFor', () => {
  test('maps outputs: ok is 0, an invalid verdict is 1', () => {
    assert.equal(exitCodeFor({ output: {} }), EXIT.ok);
    assert.equal(exitCodeFor({ output: { outcome: 'ok' } }), 0);
    assert.equal(exitCodeFor({ output: { outcome: 'invalid' } }), 1);
  });

  const cases: Array<[string, unknown, number]> = [
    ['a bad argument', new InvalidArgumentError('--kid', 'missing'), 2],
    ['a bad key', new InvalidKeyError('EC keys are not accepted'), 2],
    ['an unusable store', new TokenStoreError('cannot write'), 2],
    [
      'an API error',
      new LineApiError({ operation: 'issueV21', status: 400, error: 'invalid_client' }),
      3,
    ],
    ['a 429', new LineApiError({ operation: 'verify', status: 429, lineMessage: 'rate' }), 3],
    ['a network error', new LineNetworkError('verify'), 3],
    ['a timeout', new LineTimeoutError('verify', 10_000), 3],
    [
      'an odd response',
      new LineInvalidResponseError({ operation: 'verify', status: 502, reason: 'html' }),
      3,
    ],
    ['no token available', new TokenUnavailableError('no token', { permanent: true }), 3],
    ['an unknown error', new TypeError('bug'), 3],
  ];
  for (const [what, error, code] of cases) {
    test(`maps ${what} to ${code}`, () => assert.equal(exitCodeFor({ error }), code));
  }

  test('maps an unavailable token caused by a bad key to 2, like the bad key itself', () => {
    const cause = new InvalidKeyError('not an RSA key');
    assert.equal(
      exitCodeFor({ error: new TokenUnavailableError('no token', { permanent: true }, { cause }) }),
      2,
    );
  });

  test('maps an interrupted command to 130 whatever the error', () => {
    assert.equal(exitCodeFor({ error: new LineNetworkError('verify'), interrupted: true }), 130);
  });
});

describe('describeError', () => {
  test('adds a hint and the request id to a LINE answer', () => {
    const text = describeError(
      new LineApiError({
        operation: 'issueV21',
        status: 404,
        lineMessage: 'Cannot find channel key that satisfies the conditions',
        requestId: '1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
      }),
    );
    assert.match(text, /HTTP 404: Cannot find channel key/);
    assert.match(text, /check --kid/);
    assert.match(text, /\[request id 1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b\]/);
  });

  test('names the low-level cause of a network error', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const text = describeError(
      new LineNetworkError('verify', { cause: new TypeError('fetch failed', { cause }) }),
      { baseUrl: 'http://127.0.0.1:9999' },
    );
    assert.match(
      text,
      /network error during verify.* at http:\/\/127\.0\.0\.1:9999 \(ECONNREFUSED\) \(check the network and --base-url\)$/,
    );
  });

  test('shows the cause of an unavailable token', () => {
    const cause = new LineApiError({
      operation: 'issueShortLived',
      status: 400,
      error: 'invalid_client',
    });
    const text = describeError(
      new TokenUnavailableError('no valid token', { permanent: true }, { cause }),
    );
    assert.match(
      text,
      /no valid token: LINE answered issueShortLived with HTTP 400: invalid_client/,
    );
  });

  test('quotes the cause of an unavailable token once when the message already holds it', () => {
    const cause = new LineApiError({
      operation: 'issueV21',
      status: 400,
      error: 'invalid_request',
      errorDescription: 'Invalid token_exp',
    });
    const text = describeError(
      new TokenUnavailableError(
        `no valid v2.1 token: ${cause.message}`,
        { permanent: true },
        { cause },
      ),
    );
    assert.equal(text.split(cause.message).length, 2, text);
  });

  test('never shows the message of a foreign error (it may quote a key)', () => {
    const text = describeError(
      new SyntaxError('Unexpected token in JSON: "d":"PRIVATEKEYMATERIAL"'),
    );
    assert.doesNotMatch(text, /PRIVATEKEYMATERIAL/);
    assert.match(text, /unexpected error \(SyntaxError\)/);
  });
});
