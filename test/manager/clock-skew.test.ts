// Clock skew, which real hosts have: a process whose system clock steps back or forward by 40 s,
// and a fleet whose members' clocks differ by 40 s, never serve an expired token. In process the
// manager keeps time on a monotonic clock; across a fleet, stored times are on the store's own
// clock (TokenStore.now). Every issue after the first fails here, so the manager has to serve its
// current token to the end: exactly where a wrong clock would show.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LineApiError } from '../../src/errors.js';
import type { Issued, Issuer } from '../../src/manager/internal/issuer.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import { drive, FakeClock } from './helpers/fake-clock.js';
import { harness } from './helpers/scripted.js';

const HOUR = 3_600_000;
const MARGIN = 30_000; // DEFAULT_EXPIRY_MARGIN_MS

/** Issues one-hour stateless tokens timed on `frame` (what the client would use); then fails. */
function skewedIssuer(truth: FakeClock, frame: () => number) {
  const expiry = new Map<string, number>();
  let n = 0;
  const issuer: Issuer & { expiry: Map<string, number>; failing: boolean } = {
    type: 'stateless',
    channelId: '1234567890',
    maxLifetimeMs: HOUR,
    revoke: undefined,
    cannotRevoke: undefined,
    listKeyIds: undefined,
    verify: undefined,
    expiry,
    failing: false,
    issue(): Promise<Issued> {
      if (issuer.failing) {
        return Promise.reject(new LineApiError({ operation: 'issueStateless', status: 503 }));
      }
      const accessToken = `skew-token-${++n}`;
      expiry.set(accessToken, truth.now() + HOUR);
      const issuedAt = frame();
      return Promise.resolve({
        accessToken,
        issuedAt,
        expiresAt: issuedAt + HOUR,
        keyId: undefined,
      });
    },
  };
  return issuer;
}

/** The token a caller gets, running the clock through any backoff; undefined on failure. */
async function outcome(clock: FakeClock, p: Promise<string>): Promise<string | undefined> {
  const settled = await drive(clock, p);
  return settled.status === 'fulfilled' ? settled.value : undefined;
}

describe('clock skew', () => {
  for (const stepMs of [-40_000, 40_000]) {
    test(`the system clock steps ${stepMs > 0 ? 'forward' : 'back'} by 40 s: never an expired token, and the valid one is served to its end`, async () => {
      const truth = new FakeClock();
      let step = 0;
      const wall = () => truth.now() + step;
      const issuer = skewedIssuer(truth, truth.now);
      const { refresher, warnings } = harness(truth, issuer, {
        now: wall,
        monotonicNow: truth.now,
        store: new MemoryTokenStore({ now: wall }),
      });
      const token = await refresher.getToken();
      const expiresAt = issuer.expiry.get(token)!;
      issuer.failing = true;
      truth.jump(10 * 60_000);
      step = stepMs;
      // Just before the end of its serving time, it is still served...
      truth.jump(expiresAt - MARGIN - 5_000 - truth.now());
      assert.equal(
        await outcome(truth, refresher.getToken()),
        token,
        'served to the end of its time',
      );
      // ...and never after it expired.
      for (const at of [expiresAt - 1, expiresAt + 5_000, expiresAt + 35_000]) {
        truth.jump(at - truth.now());
        const got = await outcome(truth, refresher.getToken());
        assert.ok(
          got === undefined || issuer.expiry.get(got)! > truth.now(),
          `expired token served at +${at - expiresAt} ms`,
        );
      }
      await refresher.close();
      assert.ok(
        warnings.some((w) => w.code === 'CLOCK_SKEW'),
        `the step was reported: ${JSON.stringify(warnings)} ${JSON.stringify(refresher.status())}`,
      );
      assert.equal(warnings.filter((w) => w.code === 'CLOCK_SKEW').length, 1, 'once');
    });
  }

  test("a fleet whose members' clocks differ by 40 s: the slow member never serves the fast one's token past its expiry", async () => {
    const truth = new FakeClock();
    const store = new MemoryTokenStore({ now: truth.now }); // the store's own clock
    const slow = () => truth.now() - 40_000;
    const fastIssuer = skewedIssuer(truth, truth.now);
    const fast = harness(truth, fastIssuer, { store });
    const slowIssuer = skewedIssuer(truth, slow);
    slowIssuer.failing = true;
    const slowMember = harness(truth, slowIssuer, { store, now: slow });
    const token = await fast.refresher.getToken();
    const expiresAt = fastIssuer.expiry.get(token)!;
    truth.jump(60_000);
    assert.equal(await slowMember.refresher.getToken(), token, 'adopted from the store');
    fastIssuer.failing = true;
    for (const at of [
      expiresAt - MARGIN - 5_000,
      expiresAt - 1,
      expiresAt + 5_000,
      expiresAt + 9_000,
    ]) {
      truth.jump(at - truth.now());
      const got = await outcome(truth, slowMember.refresher.getToken());
      assert.ok(
        got === undefined || at < expiresAt,
        `expired token served at +${at - expiresAt} ms`,
      );
    }
    assert.ok(slowMember.warnings.some((w) => w.code === 'CLOCK_SKEW'));
    await fast.refresher.close();
    await slowMember.refresher.close();
  });
});
