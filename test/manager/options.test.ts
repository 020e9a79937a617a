// Every bad option or strategy is refused at construction with an InvalidArgumentError that
// names it, and never quotes a secret.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import { ChannelAccessTokenClient } from '../../src/client/index.js';
import { TokenManager } from '../../src/manager/manager.js';
import { normalizeSettings } from '../../src/manager/internal/options.js';
import type { TokenManagerOptions } from '../../src/manager/types.js';

const SECRET = 'super-secret-value';
const good = { type: 'short-lived', channelId: '1234567890', channelSecret: SECRET } as const;
const jwk = { kty: 'RSA', n: 'x', e: 'AQAB', d: 'y' };

const cases: Array<[string, unknown, string]> = [
  ['no options', undefined, 'options'],
  ['no strategy', {}, 'strategy'],
  ['an unknown option', { strategy: good, refreshWindowMs: 5 }, 'refreshWindowMs'],
  ['an unknown strategy type', { strategy: { type: 'v3' } }, 'strategy.type'],
  ['a strategy field of another type', { strategy: { ...good, kid: 'k' } }, 'strategy.kid'],
  ['a numeric channel id', { strategy: { ...good, channelId: 1234567890 } }, 'strategy.channelId'],
  ['a channel id with letters', { strategy: { ...good, channelId: 'abc' } }, 'strategy.channelId'],
  ['an empty secret', { strategy: { ...good, channelSecret: '' } }, 'strategy.channelSecret'],
  [
    'stateless with both secret and key',
    {
      strategy: {
        type: 'stateless',
        channelId: '1',
        channelSecret: SECRET,
        kid: 'k',
        privateKey: jwk,
      },
    },
    'strategy',
  ],
  ['stateless with neither', { strategy: { type: 'stateless', channelId: '1' } }, 'strategy'],
  [
    'v2.1 with a token_exp over 30 days',
    {
      strategy: { type: 'v2.1', channelId: '1', kid: 'k', privateKey: jwk, tokenExpSec: 2_592_001 },
    },
    'tokenExpSec',
  ],
  ['v2.1 without kid', { strategy: { type: 'v2.1', channelId: '1', privateKey: jwk } }, 'kid'],
  ['static without a token', { strategy: { type: 'static' } }, 'strategy.accessToken'],
  [
    'static with a text expiry',
    { strategy: { type: 'static', accessToken: 't', expiresAt: 'soon' } },
    'strategy.expiresAt',
  ],
  ['a fraction over 1', { strategy: good, refreshWindowFraction: 1.5 }, 'refreshWindowFraction'],
  ['a zero fraction', { strategy: good, refreshWindowFraction: 0 }, 'refreshWindowFraction'],
  ['a negative jitter', { strategy: good, refreshJitter: -0.1 }, 'refreshJitter'],
  ['a fractional margin', { strategy: good, expiryMarginMs: 1.5 }, 'expiryMarginMs'],
  [
    'max window below min',
    { strategy: good, minRefreshWindowMs: 10, maxRefreshWindowMs: 5 },
    'maxRefreshWindowMs',
  ],
  [
    'backoff max below initial',
    { strategy: good, backoffInitialMs: 10, backoffMaxMs: 5 },
    'backoffMaxMs',
  ],
  ['zero attempts', { strategy: good, maxAttempts: 0 }, 'maxAttempts'],
  ['zero permanent failures', { strategy: good, maxPermanentFailures: 0 }, 'maxPermanentFailures'],
  ['a grace over what timers hold', { strategy: good, revokeGraceMs: 2 ** 31 }, 'revokeGraceMs'],
  ['keepWarm as text', { strategy: good, keepWarm: 'yes' }, 'keepWarm'],
  ['a now that is no function', { strategy: good, now: 5 }, 'now'],
  ['timers without clearTimeout', { strategy: good, timers: { setTimeout() {} } }, 'timers'],
  ['a hook that is no function', { strategy: good, onTokenIssued: 'log' }, 'onTokenIssued'],
  ['a store without set', { strategy: good, store: { get() {}, delete() {} } }, 'store'],
  ['an empty store key', { strategy: good, storeKey: '' }, 'storeKey'],
  [
    'client and clientOptions',
    { strategy: good, client: new ChannelAccessTokenClient(), clientOptions: {} },
    'clientOptions',
  ],
  ['a client of another kind', { strategy: good, client: { issueV21() {} } }, 'client'],
  ['a bad client option', { strategy: good, clientOptions: { timeoutMs: -1 } }, 'timeoutMs'],
  ['a retry limit out of range', { strategy: good, retry: { limit: -1 } }, 'retry.limit'],
  ['an unknown retry option', { strategy: good, retry: { delay: 5 } }, 'retry.delay'],
  [
    'both names for one retry option',
    { strategy: good, retry: { backoffMs: 5 }, backoffInitialMs: 5 },
    'backoffInitialMs',
  ],
  ['a zero budget', { strategy: good, unaccountedTokenBudget: 0 }, 'unaccountedTokenBudget'],
  ['a budget of 30', { strategy: good, unaccountedTokenBudget: 30 }, 'unaccountedTokenBudget'],
  ['a bad issue timeout cap', { strategy: good, maxIssueTimeoutMs: 0 }, 'maxIssueTimeoutMs'],
  ['a bad monotonic clock', { strategy: good, monotonicNow: 5 }, 'monotonicNow'],
];

describe('TokenManager options', () => {
  for (const [name, options, argument] of cases) {
    test(`${name}: refused, naming ${argument}`, () => {
      assert.throws(
        () => new TokenManager(options as TokenManagerOptions),
        (err: unknown) => {
          assert.ok(err instanceof InvalidArgumentError, `got ${String(err)}`);
          assert.equal(err.argument, argument);
          assert.ok(err.message.includes(argument.split('.').at(-1)!), err.message);
          assert.ok(!err.message.includes(SECRET));
          return true;
        },
      );
    });
  }

  test('good options build a manager without any I/O', () => {
    const manager = new TokenManager({ strategy: good });
    assert.equal(manager.status().hasToken, false);
    assert.equal(manager.status().type, 'short-lived');
    assert.equal(manager.status().channelId, '1234567890');
  });
});

describe('one vocabulary for retries', () => {
  test("the manager's retry option takes the client's names and means the older options", () => {
    const good = { type: 'short-lived' as const, channelId: '1234567890', channelSecret: 's' };
    const a = normalizeSettings({
      strategy: good,
      retry: { limit: 1, backoffMs: 200, backoffLimitMs: 400 },
    });
    const b = normalizeSettings({
      strategy: good,
      maxAttempts: 2,
      backoffInitialMs: 200,
      backoffMaxMs: 400,
    });
    assert.equal(a.maxAttempts, 2);
    assert.deepEqual(a.backoff, { initialMs: 200, maxMs: 400 });
    assert.deepEqual(a.backoff, b.backoff);
    assert.equal(a.maxAttempts, b.maxAttempts);
  });

  test("issue timeouts start at the user's timeoutMs, or 30 s, and are capped", () => {
    const good = { type: 'short-lived' as const, channelId: '1234567890', channelSecret: 's' };
    const user = normalizeSettings({ strategy: good, clientOptions: { timeoutMs: 1000 } });
    assert.equal(user.issueTimeoutMs, 1000);
    assert.equal(user.callTimeoutMs, 1000);
    const none = normalizeSettings({ strategy: good });
    assert.equal(none.issueTimeoutMs, 30_000);
    assert.equal(none.maxIssueTimeoutMs, 120_000);
  });
});
