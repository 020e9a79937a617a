// What the fleet tests check after each round, shared by the single-node and cluster
// files. Only what the design guarantees is asserted: within one round, processes that
// got the round's clock a little apart may serve the old token and its successor (both
// valid); once every process is idle, the whole fleet serves one token.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Fleet, FleetLine, RoundReport } from './fleet-harness.js';

/** Every token the round served is live on the channel and unexpired; no call failed. */
export async function checkRound(
  line: FleetLine,
  reports: RoundReport[],
  expectedWorkers: number,
  /** More than two only while processes fall back to tokens of their own (store down). */
  maxTokens = 2,
): Promise<{ tokens: Set<string>; live: number }> {
  assert.equal(reports.length, expectedWorkers, 'every live worker reported');
  const failures = reports.reduce((n, r) => n + r.failures, 0);
  assert.equal(
    failures,
    0,
    `failed getToken() calls: ${reports.flatMap((r) => r.errors).join('; ')}`,
  );
  const tokens = new Set(reports.flatMap((r) => r.tokens));
  const live = await line.liveV21();
  for (const token of tokens) {
    const info = live.find((t) => t.accessToken === token);
    assert.ok(info, 'a served token is live on the channel (not expired, not revoked)');
    assert.ok(
      info.expiresAt !== null && info.expiresAt > line.now,
      'a served token has not expired',
    );
  }
  assert.ok(
    tokens.size <= maxTokens,
    `one round serves a token and at most its successor (${tokens.size})`,
  );
  return { tokens, live: live.length };
}

/**
 * After a round (every worker idle): one more caller per process at the same time must
 * get the one token the fleet shares. Answers that token and the live count.
 */
export async function settled(
  fleet: Fleet,
  line: FleetLine,
  expectedWorkers: number,
): Promise<{ token: string; live: number }> {
  const reports = await fleet.round(line.now, 1);
  const { tokens, live } = await checkRound(line, reports, expectedWorkers);
  const warnings = fleet.warnings.map((w) => `${w.pid} ${w.code} ${w.message}`);
  const per = reports.map(
    (r) =>
      `${r.pid}:${r.tokens.map((t) => t.slice(-6)).join(',')}:${r.degraded ? 'degraded' : 'ok'}`,
  );
  assert.equal(
    tokens.size,
    1,
    `once idle, the whole fleet serves one token; per process ${per.join(' ')}; warnings: ${warnings.join(' | ')}`,
  );
  return { token: [...tokens][0]!, live };
}

/** Figures of a rotation run. */
export interface RotationFigures {
  rounds: number;
  rotations: number;
  issues: number;
  maxLive: number;
  calls: number;
  /** The token the fleet shares at the end. */
  last: string;
}

/**
 * Drives the fleet through `rotations` token rotations, `stepSec` of virtual time between
 * rounds (the first round runs at the current time, the last leaves the clock where it
 * was settled), `callers` concurrent getToken() per process per round: one issue request per
 * rotation, never an expired token, at most two live v2.1 tokens once settled.
 */
export async function rotate(
  fleet: Fleet,
  line: FleetLine,
  opts: { workers: number; callers: number; rotations: number; stepSec: number },
): Promise<RotationFigures> {
  const issuesBefore = await line.requests('issueV21');
  const served = new Set<string>();
  let rounds = 0;
  let maxLive = 0;
  let calls = 0;
  let last = '';
  while (served.size < opts.rotations + 1) {
    assert.ok(rounds < 40 * opts.rotations, 'the fleet keeps rotating');
    if (rounds > 0) await line.advance(opts.stepSec);
    await checkRound(line, await fleet.round(line.now, opts.callers), opts.workers);
    const { token, live } = await settled(fleet, line, opts.workers);
    last = token;
    calls += opts.workers * (opts.callers + 1);
    assert.ok(live <= 2, `live v2.1 tokens on the channel: ${live}`);
    maxLive = Math.max(maxLive, live);
    served.add(token);
    rounds++;
  }
  // The first token may predate the run (issued by an earlier round).
  const issues = (await line.requests('issueV21')) - issuesBefore;
  const rotations = served.size - 1;
  assert.equal(
    issues,
    issuesBefore === 0 ? served.size : rotations,
    'exactly one issue request per rotation across the fleet',
  );
  return { rounds, rotations, issues, maxLive, calls, last };
}

/** {@link rotate} through 20 rotations on a store that never fails (no `STORE_DEGRADED`). */
export async function rotateHealthy(
  fleet: Fleet,
  line: FleetLine,
  opts: { workers: number; callers: number; stepSec: number },
): Promise<RotationFigures> {
  const figures = await rotate(fleet, line, { ...opts, rotations: 20 });
  assert.deepEqual(
    fleet.warnings.filter((w) => w.code === 'STORE_DEGRADED'),
    [],
    'the store never failed',
  );
  return figures;
}

/**
 * One step of a fleet coming back together after an outage: `stepSec` later, a round of
 * `callers` per process, then one caller each, whose round it answers; while the fleet
 * reconverges a process may still serve a token of its own (one more than usual).
 */
export async function reconvergeStep(
  fleet: Fleet,
  line: FleetLine,
  opts: { workers: number; callers: number; stepSec: number },
): Promise<{ tokens: Set<string>; live: number }> {
  await line.advance(opts.stepSec);
  const max = opts.workers + 1;
  await checkRound(line, await fleet.round(line.now, opts.callers), opts.workers, max);
  return checkRound(line, await fleet.round(line.now, 1), opts.workers, max);
}

/**
 * Steps the fleet back together ({@link reconvergeStep}) until a one-caller round serves a
 * single token, at most 10 steps. Answers that token, and the most live v2.1 tokens seen.
 */
export async function reconverge(
  fleet: Fleet,
  line: FleetLine,
  opts: { workers: number; callers: number; stepSec: number },
): Promise<{ token: string; maxLive: number }> {
  let steps = 0;
  let maxLive = 0;
  for (;;) {
    assert.ok(steps++ < 10, 'the fleet reconverges');
    const { tokens, live } = await reconvergeStep(fleet, line, opts);
    maxLive = Math.max(maxLive, live);
    if (tokens.size === 1) return { token: [...tokens][0]!, maxLive };
  }
}

export function report(t: TestContext, lines: string[]): void {
  for (const line of lines) t.diagnostic(line);
}
