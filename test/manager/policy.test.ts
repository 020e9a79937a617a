import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TOKEN_MANAGER_DEFAULTS } from '../../src/manager/defaults.js';
import {
  backoffDelayMs,
  failureHint,
  isTokenLimitError,
  isTransient,
  TOKEN_LIMIT_MESSAGE,
  tokenTiming,
  type WindowPolicy,
} from '../../src/manager/internal/policy.js';
import {
  InvalidArgumentError,
  InvalidKeyError,
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
  TokenStoreError,
} from '../../src/errors.js';

const policy: WindowPolicy = {
  fraction: TOKEN_MANAGER_DEFAULTS.refresh.windowFraction,
  minMs: TOKEN_MANAGER_DEFAULTS.refresh.minWindowMs,
  maxMs: TOKEN_MANAGER_DEFAULTS.refresh.maxWindowMs,
  jitter: TOKEN_MANAGER_DEFAULTS.refresh.jitter,
  expiryMarginMs: TOKEN_MANAGER_DEFAULTS.refresh.expiryMarginMs,
};
const SEC = 1000;
const DAY = 86_400 * SEC;

describe('tokenTiming', () => {
  test('a 900 s stateless token is refreshed 180 s before expiry (no jitter drawn)', () => {
    const t = tokenTiming(0, 900 * SEC, 0, policy);
    assert.equal(t.refreshAt, 720 * SEC);
    assert.equal(t.serveUntil, 870 * SEC);
  });

  test('a 30-day token gets the one-day cap, not six days', () => {
    const t = tokenTiming(0, 30 * DAY, 0, policy);
    assert.equal(t.refreshAt, 29 * DAY);
  });

  test('jitter only moves the refresh earlier, by at most jitter x window', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const t = tokenTiming(0, 900 * SEC, r, policy);
      assert.ok(t.refreshAt <= 720 * SEC);
      assert.ok(t.refreshAt >= 720 * SEC - 180 * SEC * TOKEN_MANAGER_DEFAULTS.refresh.jitter);
    }
    assert.ok(
      tokenTiming(0, 900 * SEC, 0.9, policy).refreshAt <
        tokenTiming(0, 900 * SEC, 0.1, policy).refreshAt,
    );
  });

  test('a very short token is not refreshed the moment it arrives: window at most half the lifetime', () => {
    const t = tokenTiming(1000, 1000 + 60 * SEC, 0, policy);
    assert.equal(t.refreshAt, 1000 + 30 * SEC);
    // The margin shrinks to a quarter of the lifetime.
    assert.equal(t.serveUntil, 1000 + 45 * SEC);
    assert.ok(t.refreshAt > 1000);
  });

  test('the refresh time never falls after the last moment the token may be served', () => {
    const t = tokenTiming(0, 900 * SEC, 0, {
      ...policy,
      minMs: 0,
      fraction: 0.001,
      expiryMarginMs: 60 * SEC,
    });
    assert.ok(t.refreshAt <= t.serveUntil);
  });
});

describe('backoffDelayMs', () => {
  const b = { initialMs: 1000, maxMs: 60_000 };
  test('doubles per failure, between half and all of the step', () => {
    assert.equal(backoffDelayMs(1, b, 0), 500);
    assert.equal(backoffDelayMs(1, b, 0.9999999), 999.99995);
    assert.equal(backoffDelayMs(2, b, 0), 1000);
    assert.equal(backoffDelayMs(3, b, 0), 2000);
  });
  test('is capped at maxMs', () => {
    assert.equal(backoffDelayMs(30, b, 0), 30_000);
    assert.ok(backoffDelayMs(30, b, 0.99) <= 60_000);
  });
  test('honours Retry-After up to the cap', () => {
    assert.equal(backoffDelayMs(1, b, 0, 7), 7000);
    assert.equal(backoffDelayMs(1, b, 0, 3600), 60_000);
  });
});

describe('isTransient', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['network', new LineNetworkError('issueV21'), true],
    ['timeout', new LineTimeoutError('issueV21', 10), true],
    [
      'proxy page',
      new LineInvalidResponseError({ operation: 'issueV21', status: 502, reason: 'html' }),
      true,
    ],
    ['429', new LineApiError({ operation: 'issueV21', status: 429 }), true],
    ['500', new LineApiError({ operation: 'issueV21', status: 500 }), true],
    ['503', new LineApiError({ operation: 'issueV21', status: 503 }), true],
    ['store', new TokenStoreError('down'), true],
    ['408', new LineApiError({ operation: 'issueV21', status: 408 }), true],
    [
      '400 bad secret',
      new LineApiError({
        operation: 'issueShortLived',
        status: 400,
        error: 'invalid_client',
        errorDescription: 'invalid client_secret',
      }),
      false,
    ],
    ['401', new LineApiError({ operation: 'issueV21', status: 401 }), false],
    [
      '404 key',
      new LineApiError({
        operation: 'issueV21',
        status: 404,
        lineMessage: 'Cannot find channel key that satisfies the conditions',
      }),
      false,
    ],
    [
      'limit',
      new LineApiError({ operation: 'issueV21', status: 400, lineMessage: TOKEN_LIMIT_MESSAGE }),
      false,
    ],
    ['bad key', new InvalidKeyError('EC key'), false],
    ['bad argument', new InvalidArgumentError('kid', 'x'), false],
    ['a bug', new TypeError('x is undefined'), false],
  ];
  for (const [name, err, expected] of cases) {
    test(`${name} -> ${expected ? 'transient' : 'permanent'}`, () =>
      assert.equal(isTransient(err), expected));
  }
});

describe('failureHint', () => {
  test('says what to do for each permanent failure', () => {
    const limit = new LineApiError({
      operation: 'issueV21',
      status: 400,
      lineMessage: TOKEN_LIMIT_MESSAGE,
    });
    assert.ok(isTokenLimitError(limit));
    assert.match(failureHint(limit, 'v2.1'), /30 live v2\.1 tokens.*revoke/);
    assert.match(
      failureHint(
        new LineApiError({
          operation: 'issueV21',
          status: 404,
          lineMessage: 'Cannot find channel key that satisfies the conditions',
        }),
        'v2.1',
      ),
      /register the key's public JWK/,
    );
    assert.match(
      failureHint(
        new LineApiError({
          operation: 'issueShortLived',
          status: 400,
          error: 'invalid_client',
          errorDescription: 'invalid client_secret',
        }),
        'short-lived',
      ),
      /channel secret/,
    );
    assert.match(
      failureHint(
        new LineApiError({
          operation: 'issueStateless',
          status: 400,
          error: 'invalid_request',
          errorDescription: "Invalid 'client_credentials'.",
        }),
        'stateless',
      ),
      /channel ID and channel secret/,
    );
    assert.match(
      failureHint(
        new LineApiError({
          operation: 'issueV21',
          status: 400,
          error: 'invalid_client',
          errorDescription: 'Invalid exp',
        }),
        'v2.1',
      ),
      /clock/,
    );
    assert.match(failureHint(new InvalidKeyError('too small'), 'v2.1'), /private key/);
    assert.match(failureHint(new LineNetworkError('issueV21'), 'v2.1'), /retrying/);
  });
});

describe('backoffDelayMs near the deadline', () => {
  const b = { initialMs: 1000, maxMs: 60_000 };
  test('keeps the wait under a quarter of the serving time left, but not under initialMs', () => {
    assert.equal(backoffDelayMs(10, b, 0, undefined, 40_000), 10_000);
    assert.equal(backoffDelayMs(10, b, 0, undefined, 2_000), 1000);
    assert.equal(
      backoffDelayMs(1, b, 0, undefined, 3_600_000),
      500,
      'far from the deadline: plain backoff',
    );
  });
  test('a Retry-After still wins: LINE asked', () => {
    assert.equal(backoffDelayMs(10, b, 0, 30, 8_000), 30_000);
  });
});
