// Every bad option or strategy is refused at construction with an InvalidArgumentError that
// names it, and never quotes a secret.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import { ChannelAccessTokenClient } from '../../src/client/index.js';
import { TokenManager } from '../../src/manager/manager.js';
import { normalizeSettings } from '../../src/manager/internal/options.js';
import type { TokenManagerOptions } from '../../src/manager/options.js';
import { TOKEN_MANAGER_DEFAULTS } from '../../src/manager/defaults.js';

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
  [
    'a fraction over 1',
    { strategy: good, refresh: { windowFraction: 1.5 } },
    'refresh.windowFraction',
  ],
  ['a zero fraction', { strategy: good, refresh: { windowFraction: 0 } }, 'refresh.windowFraction'],
  ['a negative jitter', { strategy: good, refresh: { jitter: -0.1 } }, 'refresh.jitter'],
  [
    'a fractional margin',
    { strategy: good, refresh: { expiryMarginMs: 1.5 } },
    'refresh.expiryMarginMs',
  ],
  [
    'max window below min',
    { strategy: good, refresh: { minWindowMs: 10, maxWindowMs: 5 } },
    'refresh.maxWindowMs',
  ],
  [
    'backoff limit below the first backoff',
    { strategy: good, retry: { backoffMs: 10, backoffLimitMs: 5 } },
    'retry.backoffLimitMs',
  ],
  [
    'zero permanent failures',
    { strategy: good, retry: { permanentFailureLimit: 0 } },
    'retry.permanentFailureLimit',
  ],
  [
    'a grace over what timers hold',
    { strategy: good, revoke: { graceMs: 2 ** 31 } },
    'revoke.graceMs',
  ],
  ['zero revoke attempts', { strategy: good, revoke: { attempts: 0 } }, 'revoke.attempts'],
  ['keepWarm as text', { strategy: good, refresh: { keepWarm: 'yes' } }, 'refresh.keepWarm'],
  ['a headroom of 30', { strategy: good, tokenLimit: { headroom: 30 } }, 'tokenLimit.headroom'],
  ['check as text', { strategy: good, tokenLimit: { check: 'no' } }, 'tokenLimit.check'],
  ['a zero lock ttl', { strategy: good, lock: { ttlMs: 0 } }, 'lock.ttlMs'],
  ['a group that is no object', { strategy: good, revoke: true }, 'revoke'],
  ['an unknown key in a group', { strategy: good, lock: { ttl: 5 } }, 'lock.ttl'],
  ['a store timeout of zero', { strategy: good, storeTimeoutMs: 0 }, 'storeTimeoutMs'],
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
  [
    'a bad client option',
    { strategy: good, clientOptions: { timeoutMs: -1 } },
    'clientOptions.timeoutMs',
  ],
  ['a retry limit out of range', { strategy: good, retry: { limit: -1 } }, 'retry.limit'],
  ['an unknown retry option', { strategy: good, retry: { delay: 5 } }, 'retry.delay'],
  [
    'a zero budget',
    { strategy: good, tokenLimit: { unaccountedBudget: 0 } },
    'tokenLimit.unaccountedBudget',
  ],
  [
    'a budget of 30',
    { strategy: good, tokenLimit: { unaccountedBudget: 30 } },
    'tokenLimit.unaccountedBudget',
  ],
  [
    'a bad issue timeout limit',
    { strategy: good, retry: { issueTimeoutLimitMs: 0 } },
    'retry.issueTimeoutLimitMs',
  ],
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

// Every flat name of 0.1, with where it moved: each is refused, naming the new path.
const MOVED: Array<[string, string]> = [
  ['refreshWindowFraction', 'refresh.windowFraction'],
  ['minRefreshWindowMs', 'refresh.minWindowMs'],
  ['maxRefreshWindowMs', 'refresh.maxWindowMs'],
  ['refreshJitter', 'refresh.jitter'],
  ['expiryMarginMs', 'refresh.expiryMarginMs'],
  ['keepWarm', 'refresh.keepWarm'],
  ['maxAttempts', 'retry.limit'],
  ['backoffInitialMs', 'retry.backoffMs'],
  ['backoffMaxMs', 'retry.backoffLimitMs'],
  ['maxPermanentFailures', 'retry.permanentFailureLimit'],
  ['maxIssueTimeoutMs', 'retry.issueTimeoutLimitMs'],
  ['checkTokenLimit', 'tokenLimit.check'],
  ['tokenLimitHeadroom', 'tokenLimit.headroom'],
  ['unaccountedTokenBudget', 'tokenLimit.unaccountedBudget'],
  ['revokeSuperseded', 'revoke.superseded'],
  ['revokeOnClose', 'revoke.onClose'],
  ['revokeGraceMs', 'revoke.graceMs'],
  ['revokeAttempts', 'revoke.attempts'],
  ['lockTtlMs', 'lock.ttlMs'],
  ['lockPollMs', 'lock.pollMs'],
];

describe('the options of 0.1, grouped in 0.2', () => {
  for (const [old, now] of MOVED) {
    test(`"${old}" is refused, saying it is now "${now}"`, () => {
      assert.throws(
        () => new TokenManager({ strategy: good, [old]: 1 } as unknown as TokenManagerOptions),
        (err: unknown) =>
          err instanceof InvalidArgumentError &&
          err.argument === old &&
          err.message.includes(`"${old}" is now "${now}"`),
      );
    });
  }

  test('an unknown key gets the closest known one, at the top level and in a group', () => {
    assert.throws(
      () => new TokenManager({ strategy: good, revok: {} } as unknown as TokenManagerOptions),
      /"revok" is not a TokenManager option; did you mean "revoke"\?/,
    );
    assert.throws(
      () =>
        new TokenManager({
          strategy: good,
          revoke: { grace: 5 },
        } as unknown as TokenManagerOptions),
      /"revoke\.grace" is not a TokenManager "revoke" option; did you mean "revoke\.graceMs"\?/,
    );
  });

  test('a bad value is described, never quoted when it could be a secret', () => {
    assert.throws(
      () => new TokenManager({ strategy: good, retry: { limit: 1.5 } }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.message === '"retry.limit" option must be an integer from 0 to 99 (got 1.5)',
    );
    assert.throws(
      () => new TokenManager({ strategy: good, revoke: { graceMs: SECRET as unknown as number } }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.message.endsWith('(got a string)') &&
        !err.message.includes(SECRET),
    );
  });
});

describe('one vocabulary for retries', () => {
  test("the manager's retry group takes the client's names: limit counts retries", () => {
    const good = { type: 'short-lived' as const, channelId: '1234567890', channelSecret: 's' };
    const a = normalizeSettings({
      strategy: good,
      retry: { limit: 1, backoffMs: 200, backoffLimitMs: 400, permanentFailureLimit: 7 },
    });
    assert.equal(a.maxAttempts, 2);
    assert.deepEqual(a.backoff, { initialMs: 200, maxMs: 400 });
    assert.equal(a.maxPermanentFailures, 7);
  });

  test('every group reaches the settings it tunes, and the defaults are TOKEN_MANAGER_DEFAULTS', () => {
    const s = normalizeSettings({
      strategy: good,
      refresh: {
        windowFraction: 0.5,
        minWindowMs: 1,
        maxWindowMs: 2,
        jitter: 0,
        expiryMarginMs: 3,
        keepWarm: true,
      },
      tokenLimit: { check: false, headroom: 4, unaccountedBudget: 6 },
      revoke: { superseded: false, onClose: false, graceMs: 7, attempts: 8 },
      lock: { ttlMs: 9, pollMs: 10 },
      storeTimeoutMs: 11,
    });
    assert.deepEqual(s.window, { fraction: 0.5, minMs: 1, maxMs: 2, jitter: 0, expiryMarginMs: 3 });
    assert.equal(s.keepWarm, true);
    assert.deepEqual(
      [s.tokenLimit.check, s.tokenLimit.headroom, s.tokenLimit.unaccountedBudget],
      [false, 4, 6],
    );
    assert.deepEqual(
      [s.revoke.superseded, s.revoke.onClose, s.revoke.graceMs, s.revoke.attempts],
      [false, false, 7, 8],
    );
    assert.deepEqual([s.lock.ttlMs, s.lock.pollMs, s.storeTimeoutMs], [9, 10, 11]);
    const d = normalizeSettings({ strategy: good });
    const D = TOKEN_MANAGER_DEFAULTS;
    assert.deepEqual(d.window, {
      fraction: D.refresh.windowFraction,
      minMs: D.refresh.minWindowMs,
      maxMs: D.refresh.maxWindowMs,
      jitter: D.refresh.jitter,
      expiryMarginMs: D.refresh.expiryMarginMs,
    });
    assert.deepEqual(d.backoff, { initialMs: D.retry.backoffMs, maxMs: D.retry.backoffLimitMs });
    assert.equal(d.maxAttempts, D.retry.limit + 1);
    assert.equal(d.revoke.graceMs, D.revoke.graceMs);
    assert.equal(d.revoke.onClose, true, 'no store: the current token is revoked on close');
    assert.equal(d.lock.ttlMs, D.lock.ttlMs);
    assert.ok(Object.isFrozen(D) && Object.isFrozen(D.revoke), 'the defaults cannot be changed');
  });

  test("issue timeouts start at the user's timeoutMs, or 30 s, and are capped", () => {
    const good = { type: 'short-lived' as const, channelId: '1234567890', channelSecret: 's' };
    const user = normalizeSettings({ strategy: good, clientOptions: { timeoutMs: 1000 } });
    assert.equal(user.issueTimeoutMs, 1000);
    assert.equal(user.callTimeoutMs, 1000);
    const none = normalizeSettings({ strategy: good });
    assert.equal(none.issueTimeoutMs, 30_000);
    assert.equal(none.maxIssueTimeoutMs, 120_000);
    const capped = normalizeSettings({ strategy: good, retry: { issueTimeoutLimitMs: 500 } });
    assert.equal(capped.issueTimeoutMs, 500);
  });
});
