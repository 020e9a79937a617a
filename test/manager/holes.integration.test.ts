// Holes found while trying to break the manager, each pinned by a test that
// fails on the code before it: a token issued while close() runs, expires_in out of range,
// a store lock that never expires, internal errors escaping.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ChannelAccessTokenClient } from '../../src/client/index.js';
import {
  LineInvalidResponseError,
  LineTokenError,
  TokenStoreError,
  TokenUnavailableError,
} from '../../src/errors.js';
import { failureHint } from '../../src/manager/internal/policy.js';
import { TokenManager } from '../../src/manager/manager.js';
import type { StoredToken, TokenStore } from '../../src/manager/store.js';
import { drive, FakeClock, settle } from './helpers/fake-clock.js';
import { harness, ScriptedIssuer } from './helpers/scripted.js';
import { defer, serverFor, suiteScope } from '../fixtures.js';

describe('close() while an issue is in flight', () => {
  test('memory-only: the token that arrives after close() is revoked, not left live', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    let release!: () => void;
    issuer.gate = new Promise((resolve) => (release = resolve));
    const { refresher } = harness(clock, issuer, { revoke: { onClose: true } });
    const caller = refresher.getToken().catch((err: unknown) => err);
    await settle();
    const closing = refresher.close();
    release();
    await closing;
    assert.ok((await caller) instanceof TokenUnavailableError, 'the caller is told it closed');
    assert.equal(issuer.issued.length, 1);
    assert.deepEqual(issuer.revoked, issuer.issued, 'the late token was revoked');
  });
});

describe('expires_in out of range', () => {
  const suite = suiteScope();
  let url: string;
  let expiresIn: unknown = 0;
  const requestTimes: number[] = [];
  let clock = new FakeClock();
  before(async () => {
    ({ url } = await serverFor(suite, (req, res) => {
      requestTimes.push(clock.now());
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify(
            req.url?.includes('verify')
              ? { client_id: '1234567890', expires_in: expiresIn }
              : { access_token: 'tok', token_type: 'Bearer', expires_in: expiresIn, key_id: 'k' },
          ),
        );
      });
    }));
  });

  const cases: Array<[string, number, (c: ChannelAccessTokenClient) => Promise<unknown>]> = [
    ['v2.1, 0', 0, (c) => c.issueV21({ assertion: 'a.b.c' })],
    ['v2.1, negative', -5, (c) => c.issueV21({ assertion: 'a.b.c' })],
    ['v2.1, over 30 days', 2_592_001, (c) => c.issueV21({ assertion: 'a.b.c' })],
    ['stateless, over 1 h', 3_601, (c) => c.issueStateless({ channelId: '1', channelSecret: 's' })],
    [
      'short-lived, over 31 days',
      2_678_401,
      (c) => c.issueShortLived({ channelId: '1', channelSecret: 's' }),
    ],
    ['verify, beyond any date', 1e13, (c) => c.verify({ accessToken: 'tok' })],
  ];
  for (const [name, value, call] of cases) {
    test(`the client refuses ${name} as an invalid response (no RangeError anywhere)`, async () => {
      expiresIn = value;
      const client = new ChannelAccessTokenClient({ baseUrl: url, retry: false });
      await assert.rejects(call(client), (err: unknown) => {
        assert.ok(err instanceof LineInvalidResponseError, String(err));
        assert.match(err.message, /expires_in/);
        return true;
      });
    });
  }

  test('the manager backs off on expires_in 0 instead of issuing on every call', async (t) => {
    clock = new FakeClock();
    expiresIn = 0;
    requestTimes.length = 0;
    const manager = new TokenManager({
      strategy: { type: 'stateless', channelId: '1234567890', channelSecret: 'secret' },
      clientOptions: { baseUrl: url },
      now: clock.now,
      timers: clock,
      retry: { limit: 0 },
    });
    defer(t, () => manager.close());
    for (let i = 0; i < 20; i++) {
      const outcome = await drive(clock, manager.getToken());
      assert.equal(outcome.status, 'rejected');
      assert.ok(outcome.reason instanceof TokenUnavailableError);
    }
    assert.equal(manager.status().lastError?.code, 'ERR_LINE_INVALID_RESPONSE');
    for (let i = 1; i < requestTimes.length; i++) {
      assert.ok(
        requestTimes[i]! - requestTimes[i - 1]! >= 500,
        `issue ${i} came ${requestTimes[i]! - requestTimes[i - 1]!} ms after the one before`,
      );
    }
  });
});

/** A store whose lock some crashed holder took forever (a key with no TTL, a directory). */
class EternalLockStore implements TokenStore {
  readonly values = new Map<string, StoredToken>();
  get(key: string) {
    return Promise.resolve(this.values.get(key));
  }
  set(key: string, token: StoredToken) {
    this.values.set(key, token);
    return Promise.resolve();
  }
  delete(key: string) {
    this.values.delete(key);
    return Promise.resolve();
  }
  acquireLock() {
    return Promise.resolve(undefined);
  }
}

describe('a store lock that never expires', () => {
  test('after the lock wait the manager works on a token of its own, and says why without blaming LINE', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock, 'stateless');
    const { refresher, warnings } = harness(clock, issuer, {
      store: new EternalLockStore(),
      lock: { ttlMs: 1, pollMs: 1 },
    });
    const outcome = await drive(clock, refresher.getToken());
    assert.equal(outcome.status, 'fulfilled', String((outcome as { reason?: unknown }).reason));
    assert.equal(outcome.value, issuer.issued[0]);
    assert.equal(refresher.status().degraded, true);
    const degraded = warnings.find((w) => w.code === 'STORE_DEGRADED');
    assert.ok(degraded);
    assert.ok(degraded.cause instanceof TokenStoreError);
    assert.match(degraded.cause.message, /lock stayed taken/);
    assert.doesNotMatch(failureHint(degraded.cause, 'stateless'), /LINE could not be reached/);
    assert.match(failureHint(degraded.cause, 'stateless'), /LINE was not asked/);
    await refresher.close();
  });
});

describe('internal errors never escape', () => {
  test('a bug below the manager surfaces as a documented LineTokenError, in getToken() and status()', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock, 'stateless');
    issuer.failures.push(new TypeError('x is undefined'));
    const { refresher } = harness(clock, issuer);
    const outcome = await drive(clock, refresher.getToken());
    assert.equal(outcome.status, 'rejected');
    assert.ok(outcome.reason instanceof TokenUnavailableError);
    assert.ok(
      outcome.reason.cause instanceof TokenUnavailableError ||
        outcome.reason.cause instanceof TypeError,
    );
    const code: LineTokenError['code'] | undefined = refresher.status().lastError?.code;
    assert.equal(code, 'ERR_LINE_TOKEN_UNAVAILABLE');
    await refresher.close();
  });

  test('a store that throws a non-error: degraded, served, and nothing but LineTokenErrors reported', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock, 'stateless');
    const store = new EternalLockStore();
    store.get = () => Promise.reject('boom');
    const { refresher, warnings } = harness(clock, issuer, { store });
    assert.equal(await refresher.getToken(), issuer.issued[0]);
    const degraded = warnings.find((w) => w.code === 'STORE_DEGRADED');
    assert.ok(degraded);
    assert.equal(refresher.status().lastError, undefined);
    await refresher.close();
  });
});
