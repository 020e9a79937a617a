// Runs a TokenManager against the emulator with ONE fake clock driving both, through many
// token lifetimes, and records what every caller got, checked against the emulator at that
// very instant. Shared by emulator-lifetimes.test.ts (no faults) and emulator-faults.test.ts.
import assert from 'node:assert/strict';
import { ChannelAccessTokenClient } from '../../../src/client/index.js';
import { TOKEN_MANAGER_DEFAULTS } from '../../../src/manager/defaults.js';
import { TokenManager } from '../../../src/manager/manager.js';
import type { FaultConfig } from '../../../src/emulator/index.js';
import type { RefreshErrorEvent, TokenIssuedEvent } from '../../../src/manager/types.js';
import { countingFetch, drive, FakeClock } from './fake-clock.js';
import { seeded, setup, type StrategyName } from './emulator.js';

export const LIFETIMES = Number(process.env.LIFETIMES ?? 50);
const CALLERS_PER_STEP = 20;

/** The fault mix of the issue: 30% 5xx, 10% 429 with Retry-After, 5% resets, added latency. */
export const FAULTS: FaultConfig = {
  seed: Number(process.env.FAULT_SEED ?? 42),
  global: {
    random: [
      { probability: 0.3, fault: { type: 'status', status: 503 } },
      { probability: 0.1, fault: { type: 'rate-limit', retryAfterSec: 2 } },
      { probability: 0.05, fault: { type: 'reset' } },
    ],
    latencyMs: { min: 0, max: 3 },
  },
  // The test's own checks go through verify; they must not be faulted.
  operations: { verify: {} },
};

export interface Run {
  served: Set<string>;
  issued: TokenIssuedEvent[];
  refreshErrors: RefreshErrorEvent[];
  failedWhileValid: number;
  failedCold: number;
  invalidServed: string[];
  maxLive: number;
  /** Live tokens at the end other than the current one. */
  liveAtEnd: number;
  stats: Record<string, number>;
  issuedInRun: number;
  issueRequestsInRun: number;
  counts: ReturnType<TokenManager['status']>['counts'];
  revokedEvents: number;
}

export async function runLifetimes(
  name: StrategyName,
  options: { faults?: FaultConfig; keepWarm?: boolean } = {},
): Promise<Run> {
  const clock = new FakeClock();
  const s = await setup(clock, name);
  const issued: TokenIssuedEvent[] = [];
  const refreshErrors: RefreshErrorEvent[] = [];
  let revokedEvents = 0;
  const http = countingFetch();
  const manager = new TokenManager({
    strategy: s.strategy,
    clientOptions: { baseUrl: s.emu.url, fetch: http.fetch },
    now: clock.now,
    timers: clock,
    random: seeded(7),
    refresh: { keepWarm: options.keepWarm ?? false },
    onTokenIssued: (e) => issued.push(e),
    onRefreshError: (e) => refreshErrors.push(e),
    onRevoked: () => revokedEvents++,
  });
  // The clock must not jump while the manager works (signing, HTTP): only while it sleeps.
  const busy = (): boolean => {
    if (http.busy()) return true;
    const st = manager.status();
    return st.refreshing && !(st.nextAttemptAt !== undefined && st.nextAttemptAt > clock.now());
  };
  clock.busy = busy;
  const checker = new ChannelAccessTokenClient({
    baseUrl: s.emu.url,
    retry: false,
    now: clock.now,
  });
  const stored = s.issueOp !== 'issueStateless';
  if (options.faults) await s.emu.admin.setFaults(options.faults);

  /** Time left on `token` by the emulator's own records, ms; undefined when not live. */
  const remainingMs = async (token: string): Promise<number | undefined> => {
    if (stored) {
      const live = await s.emu.admin.listTokens(s.channelId);
      const found = live.find((t) => t.accessToken === token);
      return found?.expiresAt == null ? undefined : found.expiresAt - clock.now();
    }
    try {
      return (await checker.verify({ accessToken: token })).expiresIn * 1000;
    } catch {
      return undefined;
    }
  };
  /** Whether any token of the channel could still be served (live, beyond the safety margin). */
  const anyServable = async (): Promise<boolean> => {
    const horizon = clock.now() + TOKEN_MANAGER_DEFAULTS.refresh.expiryMarginMs;
    if (stored) {
      return (await s.emu.admin.listTokens(s.channelId)).some(
        (t) => (t.expiresAt ?? Infinity) > horizon,
      );
    }
    return issued.some((e) => e.expiresAt > horizon);
  };

  const rng = seeded(11);
  const run: Run = {
    served: new Set(),
    issued,
    refreshErrors,
    failedWhileValid: 0,
    failedCold: 0,
    invalidServed: [],
    maxLive: 0,
    liveAtEnd: 0,
    stats: {},
    issuedInRun: 0,
    issueRequestsInRun: 0,
    counts: manager.status().counts,
    revokedEvents: 0,
  };
  const end = clock.now() + LIFETIMES * s.lifetimeMs;
  // Callers come every quarter to three quarters of a refresh window, so every window sees
  // some (the window of a 30-day token is capped at one day).
  const windowMs = Math.min(
    s.lifetimeMs * TOKEN_MANAGER_DEFAULTS.refresh.windowFraction,
    TOKEN_MANAGER_DEFAULTS.refresh.maxWindowMs,
  );
  try {
    while (clock.now() < end) {
      await clock.advance(Math.round((windowMs / 2) * (0.5 + rng())));
      await manager.idle();
      const servable = await anyServable();
      // Callers without a valid token wait through the backoff: run the clock meanwhile.
      const batch = await drive(
        clock,
        Promise.allSettled(Array.from({ length: CALLERS_PER_STEP }, () => manager.getToken())),
        busy,
      );
      assert.equal(batch.status, 'fulfilled');
      const results = batch.value;
      const tokens = new Set<string>();
      for (const r of results) {
        if (r.status === 'fulfilled') tokens.add(r.value);
        else if (servable) run.failedWhileValid++;
        else run.failedCold++;
      }
      for (const token of tokens) {
        run.served.add(token);
        const left = await remainingMs(token);
        if (left === undefined || left <= 0) run.invalidServed.push(token);
      }
      await manager.idle();
      if (s.issueOp === 'issueV21') {
        run.maxLive = Math.max(run.maxLive, (await s.emu.admin.listTokens(s.channelId)).length);
      }
    }
    // A refresh started by the last callers has not been handed to anyone yet: one more call.
    const last = await manager.getToken();
    run.served.add(last);
    const left = await remainingMs(last);
    if (left === undefined || left <= 0) run.invalidServed.push(last);
    // Issued while callers were around: a keep-warm timer may still issue in the drain below.
    run.issueRequestsInRun = (await s.emu.admin.stats()).requests[s.issueOp] ?? 0;
    run.issuedInRun = manager.status().counts.issued;
    // Long enough for the last grace period and any revocation retries.
    for (let i = 0; i < 30; i++) {
      await clock.advance(60_000);
      await manager.idle();
    }
    if (stored) {
      // Live tokens other than the one in use: superseded tokens the manager failed to revoke.
      // The current token may be newer than `last`: a retry timer can succeed in the drain.
      const current = issued.at(-1)?.accessToken;
      run.liveAtEnd = (await s.emu.admin.listTokens(s.channelId)).filter(
        (t) => t.accessToken !== current && t.expiresAt! > clock.now(),
      ).length;
    }
    run.stats = (await s.emu.admin.stats()).requests;
    run.counts = manager.status().counts;
    run.revokedEvents = revokedEvents;
    return run;
  } finally {
    await manager.close();
    await s.emu.close();
  }
}

export const STRATEGIES: Array<{
  name: StrategyName;
  issueOp: string;
  revokeOp?: string;
  keepWarm?: boolean;
}> = [
  { name: 'v2.1', issueOp: 'issueV21', revokeOp: 'revokeV21' },
  { name: 'stateless-secret', issueOp: 'issueStateless' },
  { name: 'stateless-assertion', issueOp: 'issueStateless', keepWarm: true },
  { name: 'short-lived', issueOp: 'issueShortLived', revokeOp: 'revoke' },
];
