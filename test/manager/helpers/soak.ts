// The fault-matrix soak: a TokenManager against the emulator on ONE fake clock, through
// many token lifetimes with concurrent callers, under one fault at a time (or a mix), then
// with the faults stopped. Records what the issue's "Done when" list asks for: the most
// live v2.1 tokens, the issues, the unaccounted count, failures while a valid token
// existed, and how soon a token is served once the faults stop.
//
// "Latency past the timeout" cannot be a real-time delay on a virtual clock, so this
// harness's fetch does it: it lets the emulator issue, then holds the answer until the
// manager's timeout (on the same virtual clock) aborts the request. Every other fault is
// the emulator's own.
import { TOKEN_MANAGER_DEFAULTS } from '../../../src/manager/defaults.js';
import { TokenManager } from '../../../src/manager/manager.js';
import { MemoryTokenStore } from '../../../src/manager/memory-store.js';
import type { Fault, FaultConfig } from '../../../src/emulator/index.js';
import type { TokenIssuedEvent } from '../../../src/manager/types.js';
import type { TokenManagerOptions } from '../../../src/manager/options.js';
import { drive, FakeClock, settle } from './fake-clock.js';
import { seeded, setup, type StrategyName } from './emulator.js';

/** One cell of the matrix. */
export type FaultName =
  | 'answer lost after issuing'
  | '5xx after issuing'
  | '5xx before issuing'
  | 'connection reset'
  | '429 with Retry-After'
  | 'latency past the timeout'
  | 'a mix of them';

export const FAULT_NAMES: readonly FaultName[] = [
  'answer lost after issuing',
  '5xx after issuing',
  '5xx before issuing',
  'connection reset',
  '429 with Retry-After',
  'latency past the timeout',
  'a mix of them',
];

const EMULATOR_FAULTS: Partial<Record<FaultName, Fault[]>> = {
  'answer lost after issuing': [{ type: 'lost-answer' }],
  '5xx after issuing': [{ type: 'lost-answer', status: 503 }],
  '5xx before issuing': [{ type: 'status', status: 503 }],
  'connection reset': [{ type: 'reset' }],
  '429 with Retry-After': [{ type: 'rate-limit', retryAfterSec: 30 }],
  'a mix of them': [
    { type: 'lost-answer' },
    { type: 'lost-answer', status: 500 },
    { type: 'status', status: 502 },
    { type: 'reset' },
    { type: 'rate-limit', retryAfterSec: 5 },
  ],
};

const ISSUE_PATHS = ['/oauth2/v2.1/token', '/oauth2/v3/token', '/v2/oauth/accessToken'];

/** What a run saw. */
export interface SoakRun {
  maxLive: number;
  issueRequests: number;
  issued: number;
  maxUnaccounted: number;
  failedWhileValid: number;
  failedCold: number;
  invalidServed: number;
  /** Virtual ms from the faults stopping to a token being served. */
  recoveryMs: number;
  /** The bound recovery had to meet: the backoff maximum, or the orphans' expiry plus it. */
  recoveryBoundMs: number;
  /** A cold failure said how many unaccounted tokens block the channel. */
  budgetExplained: boolean;
}

/** A fetch that counts requests on the wire, and can hold an issue's answer until aborted. */
function holdingFetch(hold: () => boolean) {
  let inFlight = 0;
  let held = 0;
  const fetchFn: typeof fetch = async (input, init) => {
    const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
    const holdThis = ISSUE_PATHS.includes(path) && hold();
    inFlight++;
    let res: Response;
    let body: ArrayBuffer;
    try {
      res = await fetch(input, { ...init, signal: null });
      body = await res.arrayBuffer();
    } finally {
      inFlight--;
    }
    if (holdThis) {
      // LINE issued; its answer arrives after the manager stopped waiting.
      held++;
      await new Promise<never>((_, reject) => {
        const signal = init?.signal;
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      }).finally(() => held--);
    }
    return new Response(res.status === 204 ? null : body, {
      status: res.status,
      headers: res.headers,
    });
  };
  return { fetch: fetchFn, busy: () => inFlight > 0, held: () => held > 0 };
}

/**
 * Runs `lifetimes` token lifetimes under `fault` (hitting `probability` of the issue
 * requests), then stops the faults and measures the recovery. With `managers` above 1,
 * that many managers share one MemoryTokenStore (a fleet on a shared store, as processes
 * on one Redis are), the callers spread over them, and the figures are the fleet's.
 */
export async function soak(
  name: StrategyName,
  fault: FaultName,
  options: {
    lifetimes: number;
    probability: number;
    callers?: number;
    seed?: number;
    managers?: number;
  },
  extra: Partial<TokenManagerOptions> = {},
): Promise<SoakRun> {
  const clock = new FakeClock();
  const s = await setup(clock, name);
  const rng = seeded(options.seed ?? 5);
  let faulting = true;
  const latency = fault === 'latency past the timeout' || fault === 'a mix of them';
  const holdP = fault === 'a mix of them' ? options.probability / 6 : options.probability;
  const http = holdingFetch(() => faulting && latency && rng() < holdP);
  const issued: TokenIssuedEvent[] = [];
  const count = options.managers ?? 1;
  // One store for the whole fleet: the same object, not a copy per manager.
  const shared = count > 1 ? { store: new MemoryTokenStore({ now: clock.now }) } : {};
  const managers = Array.from(
    { length: count },
    (_, i) =>
      new TokenManager({
        strategy: s.strategy,
        clientOptions: { baseUrl: s.emu.url, fetch: http.fetch, timeoutMs: 10_000 },
        now: clock.now,
        timers: clock,
        random: seeded(7 + i),
        onTokenIssued: (e) => issued.push(e),
        ...shared,
        ...extra,
      }),
  );
  const busy = (): boolean => {
    if (http.busy()) return true;
    if (http.held()) return false;
    return managers.some((m) => {
      const st = m.status();
      return st.refreshing && !(st.nextAttemptAt !== undefined && st.nextAttemptAt > clock.now());
    });
  };
  clock.busy = busy;
  const faults = EMULATOR_FAULTS[fault];
  if (faults !== undefined) {
    const p = options.probability / (fault === 'a mix of them' ? 6 : 1);
    const config: FaultConfig = {
      seed: options.seed ?? 5,
      operations: {
        [s.issueOp]: { random: faults.map((f) => ({ probability: p, fault: f })) },
      },
    };
    await s.emu.admin.setFaults(config);
  }
  const stored = s.issueOp !== 'issueStateless';
  const liveTokens = async () =>
    stored
      ? (await s.emu.admin.listTokens(s.channelId)).filter((t) => t.expiresAt! > clock.now())
      : [];
  const known = new Set<string>();
  /** The channel's live tokens right now: one admin call per look. */
  type Live = Awaited<ReturnType<typeof liveTokens>>;
  /** Whether a token this manager knows of is live beyond the serving margin. */
  const validExists = (live: Live): boolean => {
    const horizon = clock.now() + TOKEN_MANAGER_DEFAULTS.refresh.expiryMarginMs;
    if (!stored) return issued.some((e) => e.expiresAt > horizon);
    return live.some((t) => known.has(t.accessToken) && t.expiresAt! > horizon);
  };
  const isLive = (live: Live, token: string): boolean => {
    if (!stored) return issued.some((e) => e.accessToken === token && e.expiresAt > clock.now());
    return live.some((t) => t.accessToken === token);
  };
  const run: SoakRun = {
    maxLive: 0,
    issueRequests: 0,
    issued: 0,
    maxUnaccounted: 0,
    failedWhileValid: 0,
    failedCold: 0,
    invalidServed: 0,
    recoveryMs: 0,
    recoveryBoundMs: TOKEN_MANAGER_DEFAULTS.retry.backoffLimitMs,
    budgetExplained: false,
  };
  const observe = async (): Promise<Live> => {
    for (const e of issued) known.add(e.accessToken);
    const live = await liveTokens();
    if (s.issueOp === 'issueV21') run.maxLive = Math.max(run.maxLive, live.length);
    for (const m of managers)
      run.maxUnaccounted = Math.max(run.maxUnaccounted, m.status().unaccountedTokens ?? 0);
    return live;
  };
  const callers = options.callers ?? 5;
  const failures: string[] = [];
  // Steps of about half a refresh window (a day at most for 30-day tokens), so every window
  // sees callers.
  const stepMs = Math.min(s.lifetimeMs / 8, 8 * 3_600_000);
  const end = clock.now() + options.lifetimes * s.lifetimeMs;
  try {
    while (clock.now() < end) {
      await clock.advance(Math.round(stepMs * (0.5 + rng())));
      const valid = validExists(await observe());
      const batch = await drive(
        clock,
        Promise.allSettled(
          Array.from({ length: callers }, (_, i) => managers[i % count]!.getToken()),
        ),
        busy,
      );
      if (batch.status !== 'fulfilled') throw new Error('unreachable');
      // Checked at this instant: the clock stands still until the next step.
      const live = await observe();
      for (const r of batch.value) {
        if (r.status === 'fulfilled') {
          if (!isLive(live, r.value)) run.invalidServed++;
        } else if (valid) {
          run.failedWhileValid++;
          failures.push(String(r.reason));
        } else {
          run.failedCold++;
          if (/cannot account for|may have produced tokens/.test(String(r.reason))) {
            run.budgetExplained = true;
          }
        }
      }
    }
    // The faults stop. A token is served within the backoff maximum, or, when the budget
    // left no token, once the unaccounted tokens have expired.
    faulting = false;
    await s.emu.admin.setFaults({});
    const stoppedAt = clock.now();
    const orphanExpiry = Math.max(
      stoppedAt,
      ...(await liveTokens()).filter((t) => !known.has(t.accessToken)).map((t) => t.expiresAt!),
    );
    const blocked = managers.some((m) =>
      /cannot account for|may have produced/.test(m.status().lastError?.message ?? ''),
    );
    if (blocked) run.recoveryBoundMs += orphanExpiry - stoppedAt;
    for (;;) {
      const outcome = await drive(clock, managers[0]!.getToken(), busy);
      if (outcome.status === 'fulfilled' && isLive(await observe(), outcome.value)) break;
      if (clock.now() - stoppedAt > run.recoveryBoundMs + 3_600_000) break;
      await clock.advance(10_000);
    }
    run.recoveryMs = clock.now() - stoppedAt;
    await observe();
    run.issueRequests = (await s.emu.admin.stats()).requests[s.issueOp] ?? 0;
    run.issued = managers.reduce((n, m) => n + m.status().counts.issued, 0);
    if (failures.length > 0) console.log(`${name} / ${fault}: ${failures[0]}`);
    return run;
  } finally {
    await Promise.all(managers.map((m) => m.close()));
    await settle();
    await s.emu.close();
  }
}
