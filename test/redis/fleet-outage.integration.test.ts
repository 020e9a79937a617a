// A fleet of processes on one redis-server that is SIGKILLed while a process holds the
// lock mid-rotation (LINE is slow, so the holder is still waiting for its new token) and
// started again on the same port about 3 s later, with and without persistence, through
// ioredis and node-redis. The fleet is driven on the emulator's virtual clock
// (fleet-harness.ts); real time only passes while Redis is down.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkRound, reconverge, report, settled } from './fleet-checks.js';
import { Fleet, startLine, type FleetLine } from './fleet-harness.js';
import { requireRedisServer, startRedisServer } from './redis-server.js';
import { defer } from '../fixtures.js';

const binary = requireRedisServer('fleet outage');

const PROCESSES = 8;
const CALLERS = 100;
// 15-minute tokens, as in fleet.test.ts: the refresh window (180 s plus jitter) opens at
// the latest 720 s after an issue, and a token is served until 30 s before its end; steps
// of 200 s reach the window of the tokens issued during the outage at 800 s.
const TOKEN_EXP_SEC = 900;
const RECONVERGE_STEP_SEC = 200;
// Into the window with t1 still servable for 140 s: a valid token exists all along.
const INTO_WINDOW_SEC = TOKEN_EXP_SEC - 170;
const LOCK_TTL_MS = 5_000;
const COMMAND_TIMEOUT_MS = 3_000;
// How long Redis stays down (real time: the store's deadlines and the lock's TTL are
// real). Not asserted on.
const OUTAGE_MS = 3_000;
// LINE holds the holder's issue this long, so Redis dies under a holder mid-rotation.
const ISSUE_LATENCY_MS = 1_500;
const HANG_GUARD = { timeout: 300_000 };

/** Waits (polling the emulator) until `operation` has been requested `count` times. */
async function requested(line: FleetLine, operation: string, count: number): Promise<void> {
  for (let i = 0; (await line.requests(operation)) < count; i++) {
    assert.ok(i < 20_000, `the emulator saw ${count} ${operation} request(s)`);
    await sleep(5);
  }
}

const cells = [
  { client: 'ioredis', appendOnly: false },
  { client: 'ioredis', appendOnly: true },
  { client: 'node-redis', appendOnly: false },
  { client: 'node-redis', appendOnly: true },
] as const;

if (binary !== undefined) {
  describe('a fleet whose Redis is SIGKILLed under the lock holder and back 3 s later', () => {
    for (const { client, appendOnly } of cells) {
      test(
        `${client}, ${appendOnly ? 'append-only file' : 'no persistence'}: no failed getToken(), one token again within one refresh, extra tokens ≤ processes`,
        HANG_GUARD,
        async (t) => {
          const redis = await startRedisServer(binary, { appendOnly });
          const line = await startLine();
          const fleet = await Fleet.start(PROCESSES, line, {
            client,
            redisUrl: redis.url,
            prefix: 'fleet-outage',
            tokenExpSec: TOKEN_EXP_SEC,
            lockTtlMs: LOCK_TTL_MS,
            commandTimeoutMs: COMMAND_TIMEOUT_MS,
          });
          defer(t, async () => {
            await fleet.close();
            await line.emulator.close();
            await redis.close();
          });
          await checkRound(line, await fleet.round(line.now, CALLERS), PROCESSES);
          const { token: t1 } = await settled(fleet, line, PROCESSES);
          const issuesBefore = await line.requests('issueV21');
          assert.equal(issuesBefore, 1);

          // Into the refresh window: callers get t1 while one process rotates.
          await line.admin.setFaults({
            operations: { issueV21: { latencyMs: ISSUE_LATENCY_MS } },
          });
          const holders: number[] = [];
          const stop = fleet.onLock((pid) => holders.push(pid));
          const outageAt = await line.advance(INTO_WINDOW_SEC);
          const outageRound = fleet.round(line.now, CALLERS);
          await requested(line, 'issueV21', issuesBefore + 1);
          stop();
          assert.ok(holders.length > 0, 'a process holds the lock');
          await redis.kill();
          await sleep(OUTAGE_MS);
          await redis.start();
          // Back means taking commands again: a client that reconnected while Redis was
          // still loading its data waits before it is ready. The test's virtual clock
          // would otherwise bring the next refresh within that moment (in a real fleet
          // it comes minutes later), a second outage rather than this one's aftermath.
          await fleet.clientsReady();
          await line.admin.setFaults({});
          // Every call of the round was served: t1 was valid throughout.
          const during = await checkRound(line, await outageRound, PROCESSES, PROCESSES + 1);
          const outageIssues = (await line.requests('issueV21')) - issuesBefore;

          // Back on one token within one refresh: at the first refresh after the outage,
          // before the tokens issued during it may no longer be served, the fleet shares
          // one token; once the grace of the tokens it replaced has passed, the channel
          // holds at most two.
          const lastServable = outageAt + (TOKEN_EXP_SEC - 30) * 1000;
          const back = await reconverge(fleet, line, {
            workers: PROCESSES,
            callers: CALLERS,
            stepSec: RECONVERGE_STEP_SEC,
          });
          const maxLive = Math.max(during.live, back.maxLive);
          assert.ok(
            line.now <= lastServable,
            `one token again within one refresh (${(line.now - outageAt) / 1000} s after the outage); warnings: ${fleet.warnings.map((w) => `${w.pid} ${w.code} ${w.message}`).join(' | ')}`,
          );
          const convergedAfterSec = (line.now - outageAt) / 1000;
          // And it stays so at the next step, the replaced tokens revoked.
          await line.advance(RECONVERGE_STEP_SEC);
          await checkRound(line, await fleet.round(line.now, CALLERS), PROCESSES);
          const { token: shared, live } = await settled(fleet, line, PROCESSES);
          assert.notEqual(shared, t1);
          assert.ok(live <= 2);
          const totalIssues = (await line.requests('issueV21')) - issuesBefore;
          // One issue is the rotation that was under way, one the rotation that brought
          // the fleet together again; the rest were tokens of the processes' own.
          // (none when the fleet stayed on one store and converged without a rotation).
          const extra = Math.max(0, totalIssues - 2);
          assert.ok(extra <= PROCESSES, `extra tokens ${extra} ≤ ${PROCESSES} processes`);
          assert.ok(maxLive <= 2 + PROCESSES, `live v2.1 tokens at most ${maxLive}`);
          report(t, [
            `client=${client} persistence=${appendOnly ? 'aof(always)' : 'none'} processes=${PROCESSES} outageMs=${OUTAGE_MS}`,
            `outage round: ${during.tokens.size} token(s) served, ${outageIssues} issue(s); on one token again ${convergedAfterSec} s (virtual) later`,
            `issues after the kill=${totalIssues} extraTokens=${extra} maxLiveV21=${maxLive} finalLive=${live}`,
            `warnings: ${[...new Set(fleet.warnings.map((w) => w.code))].join(', ')}`,
          ]);
        },
      );
    }
  });
}
