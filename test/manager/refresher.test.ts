// The manager's decisions on a fake clock with a scripted issuer: single flight, the
// refresh window, backoff while serving, never past expiry, permanent failures not
// hammered, invalidation, revocation of superseded tokens, keep-warm, close.
import assert from 'node:assert/strict';
import { TokenManager } from '../../src/manager/manager.js';
import { describe, test } from 'node:test';
import {
  InvalidArgumentError,
  LineApiError,
  LineNetworkError,
  TokenUnavailableError,
} from '../../src/errors.js';
import { TOKEN_LIMIT_MESSAGE } from '../../src/manager/internal/policy.js';
import { drive, FakeClock, settle } from './helpers/fake-clock.js';
import { harness, keyIdOf, ScriptedIssuer } from './helpers/scripted.js';

const HOUR = 3_600_000;
// 1-hour token, window 0.2 h widened by jitter 0.25 x the draw: with the harness's draw of
// 0.5, refreshed 2,790 s in; with a draw of 0, 2,880 s in.
const REFRESH_AT = 2_790_000;
const REFRESH_AT_DRAW_0 = 2_880_000;
const SERVE_UNTIL = HOUR - 30_000;
const badSecret = (): LineApiError =>
  new LineApiError({
    operation: 'issueV21',
    status: 400,
    error: 'invalid_client',
    errorDescription: 'invalid client_secret',
  });
const serverError = (): LineApiError => new LineApiError({ operation: 'issueV21', status: 500 });

describe('Refresher', () => {
  test('10,000 concurrent cold callers cause exactly one issue and all get its token', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer);
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => refresher.getToken()));
    assert.equal(issuer.issueCalls, 1);
    assert.equal(new Set(tokens).size, 1);
    assert.equal(tokens[0], issuer.issued[0]);
  });

  test('the hot path serves the cached token with no issue until the refresh time', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer);
    const first = await refresher.getToken();
    clock.jump(REFRESH_AT - 1);
    for (let i = 0; i < 1000; i++) assert.equal(await refresher.getToken(), first);
    assert.equal(issuer.issueCalls, 1);
    assert.equal(refresher.status().refreshAt, clock.now() + 1);
  });

  test('inside the window callers get the current token while ONE background refresh runs', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer);
    const first = await refresher.getToken();
    clock.jump(REFRESH_AT);
    let release!: () => void;
    issuer.gate = new Promise((r) => (release = r));
    const during = await Promise.all(Array.from({ length: 500 }, () => refresher.getToken()));
    assert.ok(during.every((t) => t === first));
    assert.equal(refresher.status().refreshing, true);
    release();
    await refresher.idle();
    assert.equal(issuer.issueCalls, 2);
    const second = await refresher.getToken();
    assert.notEqual(second, first);
    assert.equal(second, issuer.issued[1]);
  });

  test('transient failures back off exponentially (recorded, not slept) while the current token is served', async () => {
    const clock = new FakeClock();
    // Stateless: a failed issue costs no slot, so it is retried at the transient pace.
    const issuer = new ScriptedIssuer(clock, 'stateless');
    const errors: unknown[] = [];
    const { refresher } = harness(clock, issuer, {
      onRefreshError: (e) => errors.push(e),
      random: () => 0, // equal jitter at its floor: exactly half of each step
    });
    const first = await refresher.getToken();
    clock.jump(REFRESH_AT_DRAW_0); // into the window
    issuer.failures.push(serverError(), serverError(), new LineNetworkError('issueV21'));
    const before = clock.delays.length;
    assert.equal(await refresher.getToken(), first);
    await refresher.idle();
    // Each failure schedules a retry timer; the callers in between still get the old token.
    for (let i = 0; i < 3; i++) {
      assert.equal(await refresher.getToken(), first);
      await clock.advance(clock.nextTimerAt()! - clock.now());
      await refresher.idle();
    }
    const backoffs = clock.delays.slice(before).filter((d) => d > 0);
    assert.deepEqual(backoffs.slice(0, 3), [500, 1000, 2000]);
    assert.equal(errors.length, 3);
    assert.ok(errors.every((e) => (e as { servingCurrentToken: boolean }).servingCurrentToken));
    assert.notEqual(await refresher.getToken(), first, 'the fourth attempt succeeded');
    assert.equal(refresher.status().counts.failures, 3);
  });

  test('Retry-After from LINE sets the wait before the next attempt', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer, { random: () => 0 });
    await refresher.getToken();
    clock.jump(REFRESH_AT_DRAW_0);
    issuer.failures.push(
      new LineApiError({ operation: 'issueV21', status: 429, retryAfterSec: 42 }),
    );
    await refresher.getToken();
    await refresher.idle();
    assert.equal(refresher.status().nextAttemptAt, clock.now() + 42_000);
  });

  test('a token is never served past its expiry margin; then getToken rejects with the last error as cause', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer, { retry: { limit: 1, backoffLimitMs: 1000 } });
    const first = await refresher.getToken();
    clock.jump(SERVE_UNTIL - 1);
    for (let i = 0; i < 50; i++) issuer.failures.push(serverError());
    assert.equal(await refresher.getToken(), first, 'one ms before the margin: still served');
    await refresher.idle();
    clock.jump(1);
    const rejected = assert.rejects(refresher.getToken(), (err: unknown) => {
      assert.ok(err instanceof TokenUnavailableError);
      assert.equal(err.permanent, false);
      assert.ok(err.cause instanceof LineApiError);
      assert.equal(err.cause.status, 500);
      assert.match(
        err.message,
        /no valid v2\.1 token for channel 1234567890: LINE answered issueV21 with HTTP 500/,
      );
      return true;
    });
    await clock.advance(5000);
    await rejected;
  });

  test('a permanent failure is not hammered: at most maxPermanentFailures attempts, then fast rejections', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer, { retry: { permanentFailureLimit: 3 } });
    for (let i = 0; i < 100; i++) issuer.failures.push(badSecret());
    for (let round = 0; round < 20; round++) {
      await assert.rejects(refresher.getToken(), (err: unknown) => {
        assert.ok(err instanceof TokenUnavailableError);
        assert.equal(err.permanent, true);
        assert.match(err.hint ?? '', /channel secret/);
        assert.ok(err.cause instanceof LineApiError);
        return true;
      });
      // Many callers in between; none of them may reach LINE before the backoff.
      await Promise.allSettled(Array.from({ length: 50 }, () => refresher.getToken()));
      await clock.advance(61_000);
    }
    assert.equal(issuer.issueCalls, 3);
    const status = refresher.status();
    assert.equal(status.stopped, true);
    assert.equal(status.lastError?.code, 'ERR_LINE_API');
    await assert.rejects(refresher.getToken(), /gave up after 3 permanent failures/);
  });

  test('invalidate: many callers reporting the same token cause one refresh; a superseded token is ignored', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer);
    const first = await refresher.getToken();
    await Promise.all(Array.from({ length: 100 }, () => refresher.invalidate(first)));
    assert.equal(issuer.issueCalls, 2);
    const second = await refresher.getToken();
    assert.notEqual(second, first);
    await refresher.invalidate(first);
    assert.equal(issuer.issueCalls, 2, 'a report of an already superseded token changes nothing');
    assert.equal(refresher.status().counts.invalidations, 1);
    // The manager checks the argument before any strategy sees it.
    const manager = new TokenManager({
      strategy: { type: 'static', accessToken: 'console-token' },
    });
    await assert.rejects(manager.invalidate(''), InvalidArgumentError);
    // A misspelt option is refused, not read as the default (verify: true); so is a non-object.
    await assert.rejects(
      manager.invalidate('console-token', { verfy: false } as never),
      (err: unknown) =>
        err instanceof InvalidArgumentError && /did you mean "verify"/.test(err.message),
    );
    await assert.rejects(manager.invalidate('console-token', 'no' as never), InvalidArgumentError);
    await assert.rejects(
      manager.invalidate('console-token', { verify: 'no' } as never),
      InvalidArgumentError,
    );
    assert.equal(manager.status().counts.invalidations, 0);
    // getToken()'s options too, though a cached token would be served without reading them.
    assert.equal(await manager.getToken(), 'console-token');
    assert.equal(await manager.getToken({ signal: new AbortController().signal }), 'console-token');
    await assert.rejects(
      manager.getToken({ signl: AbortSignal.abort() } as never),
      (err: unknown) =>
        err instanceof InvalidArgumentError && /did you mean "signal"/.test(err.message),
    );
    await assert.rejects(manager.getToken('fast' as never), InvalidArgumentError);
    await assert.rejects(manager.getToken({ signal: 'x' } as never), InvalidArgumentError);
  });

  test('an invalidated token is never served again, even while its replacement fails', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer, { retry: { limit: 1 } });
    const first = await refresher.getToken();
    for (let i = 0; i < 10; i++) issuer.failures.push(serverError());
    await drive(clock, refresher.invalidate(first));
    for (let round = 0; round < 3; round++) {
      const outcome = await drive(clock, refresher.getToken());
      assert.equal(outcome.status, 'rejected');
      assert.ok((outcome as PromiseRejectedResult).reason instanceof TokenUnavailableError);
    }
    assert.equal(issuer.issueCalls, 1 + 2 + 3 * 2);
  });

  test('v2.1 rotation revokes the superseded token only after the grace period, and reports it', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const revoked: unknown[] = [];
    const { refresher } = harness(clock, issuer, { onRevoked: (e) => revoked.push(e) });
    const first = await refresher.getToken();
    clock.jump(REFRESH_AT);
    await refresher.getToken();
    await refresher.idle();
    assert.deepEqual(issuer.revoked, []);
    await clock.advance(59_999);
    assert.deepEqual(issuer.revoked, [], 'in-flight requests still have 1 ms');
    await clock.advance(1);
    await refresher.idle();
    assert.deepEqual(issuer.revoked, [first]);
    assert.deepEqual(revoked, [
      { type: 'v2.1', channelId: '1234567890', keyId: keyIdOf(first), reason: 'superseded' },
    ]);
    assert.equal(refresher.status().counts.revocations, 1);
  });

  test('without a channel secret it says so once and carries on', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock, 'v2.1', HOUR, { revocable: false });
    const { refresher, warnings } = harness(clock, issuer);
    for (let i = 0; i < 5; i++) {
      await refresher.getToken();
      clock.jump(REFRESH_AT);
      await refresher.getToken();
      await refresher.idle();
    }
    assert.equal(issuer.issueCalls, 6);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['NO_CHANNEL_SECRET'],
    );
  });

  test('keepWarm refreshes at the refresh time with no caller at all', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer, { refresh: { keepWarm: true } });
    await refresher.getToken();
    await clock.advance(REFRESH_AT - 1);
    assert.equal(issuer.issueCalls, 1);
    await clock.advance(1);
    await refresher.idle();
    assert.equal(issuer.issueCalls, 2);
    await clock.advance(REFRESH_AT);
    await refresher.idle();
    assert.equal(issuer.issueCalls, 3);
  });

  test('without keepWarm nothing happens with no caller', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer);
    await refresher.getToken();
    await clock.advance(5 * HOUR);
    assert.equal(issuer.issueCalls, 1);
    assert.equal(clock.pendingTimers, 0);
  });

  test('a caller can stop waiting with its signal; the shared refresh goes on for the others', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer);
    let release!: () => void;
    issuer.gate = new Promise((r) => (release = r));
    const controller = new AbortController();
    const impatient = refresher.getToken(controller.signal);
    const patient = refresher.getToken();
    controller.abort(new Error('caller gave up'));
    await assert.rejects(impatient, /caller gave up/);
    release();
    assert.equal(await patient, issuer.issued[0]);
  });

  test('close: revokes waiting superseded tokens at once, then refuses', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer, { revoke: { onClose: false } });
    const first = await refresher.getToken();
    clock.jump(REFRESH_AT);
    await refresher.getToken();
    await refresher.idle();
    await refresher.close();
    assert.deepEqual(issuer.revoked, [first]);
    assert.equal(clock.pendingTimers, 0);
    await assert.rejects(refresher.getToken(), /the token manager is closed/);
    assert.equal(refresher.status().closed, true);
    assert.equal(refresher.status().hasToken, false);
  });

  test('close with revoke.onClose: the current token is revoked too, with the superseded one', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer, { revoke: { onClose: true } });
    const first = await refresher.getToken();
    clock.jump(REFRESH_AT);
    await refresher.getToken();
    await refresher.idle();
    const current = await refresher.getToken();
    assert.notEqual(current, first);
    await refresher.close();
    assert.deepEqual(issuer.revoked.slice().sort(), [first, current].sort());
    assert.equal(clock.pendingTimers, 0);
  });

  test('close names its two revocations apart: superseded-at-close and current-at-close', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const revoked: { keyId: string | undefined; reason: string }[] = [];
    const { refresher } = harness(clock, issuer, {
      revoke: { onClose: true },
      onRevoked: (e) => revoked.push({ keyId: e.keyId, reason: e.reason }),
    });
    const first = await refresher.getToken();
    clock.jump(REFRESH_AT);
    await refresher.getToken();
    await refresher.idle();
    const current = await refresher.getToken();
    await refresher.close();
    const byKey = (a: { keyId: string | undefined }, b: { keyId: string | undefined }) =>
      String(a.keyId).localeCompare(String(b.keyId));
    assert.deepEqual(
      revoked.slice().sort(byKey),
      [
        { keyId: keyIdOf(first), reason: 'superseded-at-close' },
        { keyId: keyIdOf(current), reason: 'current-at-close' },
      ].sort(byKey),
    );
  });

  test('hooks that throw never break getToken', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher, warnings } = harness(clock, issuer, {
      onTokenIssued: () => {
        throw new Error('hook bug');
      },
    });
    assert.equal(await refresher.getToken(), issuer.issued[0]);
    assert.deepEqual(
      warnings.map((w) => w.code),
      ['HOOK_FAILED'],
    );
  });

  test('status never holds the token', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher } = harness(clock, issuer);
    const token = await refresher.getToken();
    const status = refresher.status();
    assert.ok(!JSON.stringify(status).includes(token));
    assert.equal(status.hasToken, true);
    assert.equal(status.keyId, keyIdOf(token));
    assert.equal(status.counts.issued, 1);
  });
});

describe('Refresher near the v2.1 limit', () => {
  test('28 live key ids, none of them ours: at the ceiling, a permanent error listing exactly what blocks it, and no issue', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    issuer.liveKeyIds = Array.from({ length: 28 }, (_, i) => `foreign-${i}`);
    const { refresher } = harness(clock, issuer);
    await assert.rejects(refresher.getToken(), (err: unknown) => {
      assert.ok(err instanceof TokenUnavailableError);
      assert.equal(err.permanent, true);
      assert.match(
        err.message,
        /holds 28 live v2\.1 tokens, at or over the manager's ceiling of 28/,
      );
      assert.match(err.message, /foreign-0, foreign-1,.*foreign-27/);
      return true;
    });
    assert.equal(issuer.issueCalls, 0);
  });

  test('near the limit, the superseded tokens it knows of are revoked at once (not after grace)', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher, warnings } = harness(clock, issuer);
    const first = await refresher.getToken();
    clock.jump(REFRESH_AT);
    await refresher.getToken();
    await refresher.idle(); // second token issued; first waits for its grace period
    const second = issuer.issued[1]!;
    issuer.liveKeyIds = [
      keyIdOf(first),
      keyIdOf(second),
      ...Array.from({ length: 26 }, (_, i) => `foreign-${i}`),
    ];
    await refresher.invalidate(second);
    assert.deepEqual(issuer.revoked, [first], 'revoked before the third issue, grace or not');
    assert.equal(issuer.issueCalls, 3);
    const near = warnings.find((w) => w.code === 'NEAR_TOKEN_LIMIT');
    assert.ok(near);
    assert.match(
      near.message,
      /27 of 30 live v2\.1 tokens, one below the manager's ceiling of 28 \(26 not issued or no longer tracked/,
    );
  });

  test("LINE's own limit answer gets a hint with the live key ids", async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    issuer.liveKeyIds = ['a', 'b'];
    issuer.failures.push(
      new LineApiError({ operation: 'issueV21', status: 400, lineMessage: TOKEN_LIMIT_MESSAGE }),
    );
    const { refresher } = harness(clock, issuer);
    await assert.rejects(refresher.getToken(), (err: unknown) => {
      assert.ok(err instanceof TokenUnavailableError);
      assert.match(err.hint ?? '', /revoke.*Live key ids: a, b/);
      return true;
    });
    await settle();
  });
});
