// util.inspect of every error class redacts its cause chain the way a store's message is
// redacted, since errors end up in logs: a redis://user:PASSWORD@host, a PEM, a JWK's private
// members or a token in a cause must not survive.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, test } from 'node:test';
import {
  InvalidArgumentError,
  InvalidKeyError,
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
  TokenStoreError,
  TokenUnavailableError,
  type LineTokenError,
} from '../../src/index.js';
import { redactSecrets } from '../../src/internal/safe-text.js';

const PASSWORD = 'hunter2-very-secret';
const PEM_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';
const JWS = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const D = 'X4cTteJY_gn4FYPsXB8rdXix5vwsg1FLN5E3EaG6RJoVH-HLLKD9';

function causeChain(): Error {
  const inner = new Error(
    `ENOENT: no such file, open '-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n'`,
  );
  const middle = new Error(`body was {"kty":"RSA","d":"${D}"} for token ${JWS}`, { cause: inner });
  return new Error(
    `connect to redis://app:${PASSWORD}@cache.internal:6379 failed (AUTH ${PASSWORD})`,
    {
      cause: middle,
    },
  );
}

const errors: Array<[string, LineTokenError]> = [
  ['TokenStoreError', new TokenStoreError('Redis store could not read', { cause: causeChain() })],
  ['LineNetworkError', new LineNetworkError('issueV21', { cause: causeChain() })],
  ['LineTimeoutError', new LineTimeoutError('verify', 1000, { cause: causeChain() })],
  ['LineApiError', new LineApiError({ operation: 'revoke', status: 500 }, { cause: causeChain() })],
  [
    'LineInvalidResponseError',
    new LineInvalidResponseError(
      { operation: 'verify', status: 200, reason: 'odd' },
      { cause: causeChain() },
    ),
  ],
  [
    'InvalidArgumentError',
    new InvalidArgumentError('privateKey', 'bad key', { cause: causeChain() }),
  ],
  ['InvalidKeyError', new InvalidKeyError('bad key', { cause: causeChain() })],
  [
    'TokenUnavailableError',
    new TokenUnavailableError('no token', { permanent: false }, { cause: causeChain() }),
  ],
];

describe('util.inspect of every error redacts its causes', () => {
  for (const [name, error] of errors) {
    test(name, () => {
      const text = inspect(error);
      for (const secret of [PASSWORD, PEM_BODY, JWS, D]) {
        assert.ok(!text.includes(secret), `${name} leaks ${secret.slice(0, 8)}…:\n${text}`);
      }
      // Still useful: the host, the member names and the chain's shape remain.
      assert.match(text, /redis:\/\/\[REDACTED\]@cache\.internal:6379/);
      assert.match(text, /\[cause\]: Error: connect to/);
      assert.match(text, /\[cause\]: Error: body was \{"kty":"RSA","d":"\[REDACTED\]"\}/);
      assert.match(text, /open '\[REDACTED\]'|\[REDACTED PEM\]/);
      assert.match(text, new RegExp(`${name}: `));
    });
  }
});

describe('redactSecrets', () => {
  test('keeps ordinary text as it is', () => {
    const text = 'connect ECONNREFUSED 127.0.0.1:6379; key file /etc/line/key.json not found';
    assert.equal(redactSecrets(text), text);
  });
  test('replaces a form-encoded secret and a long base64 run', () => {
    const out = redactSecrets(`client_secret=abc123&x=1 and ${'QUJD'.repeat(12)}`);
    assert.equal(out, 'client_secret=[REDACTED]&x=1 and [REDACTED]');
  });
});
