// A LINE that answers late must not make a manager issue twice: two scenarios with a LINE that
// issues every v2.1 token but answers late, on one virtual clock: the test's fetch lets the
// emulator issue, then holds the answer until the virtual clock reaches the delay (or the manager's
// timeout aborts it first).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenUnavailableError } from '../../src/errors.js';
import { TOKEN_MANAGER_DEFAULTS } from '../../src/manager/defaults.js';
import { TokenManager } from '../../src/manager/manager.js';
import type { TokenManagerWarning } from '../../src/manager/types.js';
import type { TokenManagerOptions } from '../../src/manager/options.js';
import { seeded, setup, type Setup } from './helpers/emulator.js';
import { drive, FakeClock, settle } from './helpers/fake-clock.js';
import { defer } from '../fixtures.js';

/** A fetch whose v2.1 issue answers arrive `delay()` ms of virtual time late (Infinity: never). */
function lateFetch(clock: FakeClock, delay: () => number) {
  let inFlight = 0;
  let held = 0;
  const fetchFn: typeof fetch = async (input, init) => {
    const late = new URL(String(input)).pathname === '/oauth2/v2.1/token' ? delay() : 0;
    const sentAt = clock.now();
    inFlight++;
    let res: Response;
    let body: ArrayBuffer;
    try {
      res = await fetch(input, { ...init, signal: null });
      body = await res.arrayBuffer();
    } finally {
      inFlight--;
    }
    if (late > 0) {
      held++;
      try {
        await new Promise<void>((resolve, reject) => {
          const signal = init?.signal;
          if (signal?.aborted) return reject(signal.reason);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          if (Number.isFinite(late)) clock.setTimeout(resolve, sentAt + late - clock.now());
        });
      } finally {
        held--;
      }
    }
    return new Response(body, { status: res.status, headers: res.headers });
  };
  return { fetch: fetchFn, busy: () => inFlight > 0, held: () => held > 0 };
}

function managerOn(
  s: Setup,
  clock: FakeClock,
  http: ReturnType<typeof lateFetch>,
  extra: Partial<TokenManagerOptions> = {},
  tokenExpSec?: number,
): TokenManager {
  // The strategy on the manager's defaults (no tokenExpSec) unless the test says otherwise.
  if (s.strategy.type !== 'v2.1') throw new Error('unreachable');
  const { tokenExpSec: _drop, ...rest } = s.strategy;
  const strategy = tokenExpSec === undefined ? rest : { ...rest, tokenExpSec };
  const manager = new TokenManager({
    strategy,
    clientOptions: { baseUrl: s.emu.url, fetch: http.fetch, timeoutMs: 1000 },
    now: clock.now,
    timers: clock,
    random: seeded(3),
    ...extra,
  });
  clock.busy = () => {
    if (http.busy()) return true;
    if (http.held()) return false;
    const st = manager.status();
    return st.refreshing && !(st.nextAttemptAt !== undefined && st.nextAttemptAt > clock.now());
  };
  return manager;
}

const liveCount = async (s: Setup, clock: FakeClock) =>
  (await s.emu.admin.listTokens(s.channelId)).filter((t) => t.expiresAt! > clock.now()).length;

describe('a LINE that issues but answers late', () => {
  test('answers 1.5 s late, timeoutMs 1000, a caller every 100 ms for 40 s: at most 6 live v2.1 tokens, then a token at once', async (t) => {
    const clock = new FakeClock();
    const s = await setup(clock, 'v2.1');
    let lateMs = 1500;
    const http = lateFetch(clock, () => lateMs);
    const manager = managerOn(s, clock, http);
    defer(t, async () => {
      await manager.close();
      await settle();
      await s.emu.close();
    });
    let maxLive = 0;
    let firstTokenAt: number | undefined;
    const start = clock.now();
    const pending: Array<Promise<unknown>> = [];
    for (let t = 0; t < 40_000; t += 100) {
      pending.push(
        manager.getToken().then(
          () => (firstTokenAt ??= clock.now()),
          () => undefined,
        ),
      );
      await clock.advance(100);
      if (t % 1000 === 0) maxLive = Math.max(maxLive, await liveCount(s, clock));
    }
    await drive(clock, Promise.all(pending), clock.busy);
    maxLive = Math.max(maxLive, await liveCount(s, clock));
    console.log(
      `late LINE: ${(await s.emu.admin.stats()).requests['issueV21']} issue requests, at most ${maxLive} live v2.1 tokens, first token after ${((firstTokenAt ?? NaN) - start) / 1000} s`,
    );
    assert.ok(maxLive <= 6, `at most 6 live v2.1 tokens (saw ${maxLive})`);
    assert.ok(firstTokenAt !== undefined, 'a token was served while LINE was slow');
    lateMs = 0;
    const backOnTime = clock.now();
    const outcome = await drive(clock, manager.getToken(), clock.busy);
    assert.equal(outcome.status, 'fulfilled');
    assert.ok(clock.now() - backOnTime <= 90_000);
  });

  // 50 token lifetimes against a LINE whose answers come too late: about 13 s.
  test(
    'never answers in time, 50 lifetimes: live v2.1 tokens never above budget + 1, and getToken() explains the unaccounted tokens',
    { timeout: 90_000 },
    async (t) => {
      const clock = new FakeClock();
      const s = await setup(clock, 'v2.1');
      let never = true;
      const http = lateFetch(clock, () => (never ? Infinity : 0));
      const warnings: TokenManagerWarning[] = [];
      // One-hour tokens so 50 lifetimes stay quick; the budget logic does not depend on it.
      const manager = managerOn(s, clock, http, { onWarning: (w) => warnings.push(w) }, 3600);
      const lifetimeMs = 3_600_000;
      defer(t, async () => {
        await manager.close();
        await settle();
        await s.emu.close();
      });
      let maxLive = 0;
      let explained = 0;
      let rejected = 0;
      const end = clock.now() + 50 * lifetimeMs;
      while (clock.now() < end) {
        const outcome = await drive(clock, manager.getToken(), clock.busy);
        if (outcome.status === 'fulfilled') assert.fail('no token can reach us');
        rejected++;
        const err = outcome.reason;
        assert.ok(err instanceof TokenUnavailableError, String(err));
        if (/cannot account for|may have produced tokens whose answer was lost/.test(err.message)) {
          explained++;
          assert.match(err.message, /end on their own when they expire/);
        }
        maxLive = Math.max(maxLive, await liveCount(s, clock));
        await clock.advance(5 * 60_000);
      }
      console.log(
        `LINE never in time: ${(await s.emu.admin.stats()).requests['issueV21']} issue requests over 50 lifetimes, at most ${maxLive} live v2.1 tokens, ${explained} of ${rejected} rejections explained the unaccounted tokens`,
      );
      assert.ok(
        maxLive <= TOKEN_MANAGER_DEFAULTS.tokenLimit.unaccountedBudget + 1,
        `live ${maxLive} <= budget + 1`,
      );
      assert.ok(explained > rejected / 2, 'most rejections name the unaccounted tokens');
      assert.ok(warnings.some((w) => w.code === 'UNACCOUNTED_TOKENS'));
      assert.equal(manager.status().lastError?.code, 'ERR_LINE_TOKEN_UNAVAILABLE');

      // LINE answers again: a token as soon as the orphans expired (plus one backoff).
      never = false;
      const stoppedAt = clock.now();
      const lastExpiry = Math.max(
        stoppedAt,
        ...(await s.emu.admin.listTokens(s.channelId)).map((t) => t.expiresAt!),
      );
      for (;;) {
        const outcome = await drive(clock, manager.getToken(), clock.busy);
        if (outcome.status === 'fulfilled') break;
        assert.ok(
          clock.now() <= lastExpiry + TOKEN_MANAGER_DEFAULTS.retry.backoffLimitMs,
          'served once the orphans expired',
        );
        await clock.advance(10_000);
      }
      assert.ok(clock.now() <= lastExpiry + TOKEN_MANAGER_DEFAULTS.retry.backoffLimitMs + 10_000);
    },
  );
});
