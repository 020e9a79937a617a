// One token per rotation for a whole fleet, as tests: a fleet of Node processes sharing one
// real Redis (through node-redis for the rotations, ioredis for the kill and the restart)
// and one emulated LINE, driven through token rotations on the emulator's virtual clock.
// The Redis Cluster runs are in fleet-cluster.integration.test.ts.
// The parent owns the clock; every worker follows it (fleet-worker.ts), so runs replay.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { checkRound, reconvergeStep, report, rotateHealthy, settled } from './fleet-checks.js';
import { Fleet, startLine } from './fleet-harness.js';
import { requireRedisServer, startRedisServer, type RedisServer } from './redis-server.js';
import { defer } from '../fixtures.js';

const binary = requireRedisServer('fleet');

const PROCESSES = 8;
const CALLERS = 1_000;
// A 15-minute token: the manager's window is 20% (180 s) plus up to 25% jitter, served
// until 30 s before expiry; 100 s steps land every rotation inside the window, before
// the token may no longer be served.
const TOKEN_EXP_SEC = 900;
const STEP_SEC = 100;
// Long enough that a holder on two busy cores still finishes its issue inside it (a lock
// that expires under a live holder lets a second process issue); the kill test, where the
// TTL is what the survivors wait out, uses a shorter one.
const LOCK_TTL_MS = 15_000;
const KILL_LOCK_TTL_MS = 5_000;
// When Redis counts as down: far beyond a command's time on two busy cores. The restart
// test still sees the outage at once: its client keeps no offline queue.
const COMMAND_TIMEOUT_MS = 10_000;
// A guard against a hung fleet (a worker stuck forever), not a speed requirement: a
// healthy run takes a fraction of it even on two busy cores.
const HANG_GUARD = { timeout: 300_000 };

if (binary !== undefined) {
  describe('a fleet of processes sharing one Redis', () => {
    let redis: RedisServer;
    before(async () => {
      redis = await startRedisServer(binary);
    });
    after(async () => {
      await redis.close();
    });

    test(
      `node-redis: ${PROCESSES} processes × ${CALLERS} callers through 20 rotations: one issue per rotation, no expired token, at most two live`,
      HANG_GUARD,
      async (t) => {
        const line = await startLine();
        // Sealed at rest, as a fleet should run: the numbers below include AES-GCM on every store
        // read and write.
        const fleet = await Fleet.start(PROCESSES, line, {
          client: 'node-redis',
          redisUrl: redis.url,
          prefix: 'fleet-main',
          tokenExpSec: TOKEN_EXP_SEC,
          lockTtlMs: LOCK_TTL_MS,
          commandTimeoutMs: COMMAND_TIMEOUT_MS,
          encryptionKey: randomBytes(32).toString('base64'),
        });
        const raw = new Redis(redis.url);
        defer(t, async () => {
          raw.disconnect();
          await fleet.close();
          await line.emulator.close();
        });
        const figures = await rotateHealthy(fleet, line, {
          workers: PROCESSES,
          callers: CALLERS,
          stepSec: STEP_SEC,
        });
        const stored = await raw.get(`fleet-main:{v2.1:${line.channelId}}`);
        assert.ok(
          stored !== null && stored.startsWith('lt1.'),
          'the shared token is sealed in Redis',
        );
        report(t, [
          `client=node-redis processes=${PROCESSES} callersPerProcess=${CALLERS} rounds=${figures.rounds} getTokenCalls=${figures.calls}`,
          `rotations=${figures.rotations} issueRequests=${figures.issues} maxLiveV21=${figures.maxLive}`,
        ]);
      },
    );

    test(
      'SIGKILL of the lock holder mid-issue: the fleet serves again within the lock timeout, at most one extra token',
      HANG_GUARD,
      async (t) => {
        const line = await startLine();
        const fleet = await Fleet.start(PROCESSES, line, {
          client: 'ioredis',
          redisUrl: redis.url,
          prefix: 'fleet-kill',
          tokenExpSec: TOKEN_EXP_SEC,
          lockTtlMs: KILL_LOCK_TTL_MS,
          commandTimeoutMs: COMMAND_TIMEOUT_MS,
        });
        defer(t, async () => {
          await fleet.close();
          await line.emulator.close();
        });
        await checkRound(line, await fleet.round(line.now, CALLERS), PROCESSES);
        const { token: t1 } = await settled(fleet, line, PROCESSES);
        assert.equal(await line.requests('issueV21'), 1);

        // Past the point where t1 may be served: every caller needs the next token. LINE
        // is slow to answer, so the holder is still waiting for it when it dies.
        await line.admin.setFaults({ operations: { issueV21: { latencyMs: 1_000 } } });
        const holders: number[] = [];
        const stop = fleet.onLock((pid) => holders.push(pid));
        await line.advance(TOKEN_EXP_SEC - 20);
        const roundDone = fleet.round(line.now, CALLERS);
        while ((await line.requests('issueV21')) < 2) await new Promise((r) => setTimeout(r, 5));
        const victim = holders.at(-1)!;
        const killedAt = performance.now();
        await fleet.kill(victim);
        stop();
        await line.admin.setFaults({});
        const reports = await roundDone;
        const servedAgainMs = performance.now() - killedAt;
        await checkRound(line, reports, PROCESSES - 1);
        const { token: t3 } = await settled(fleet, line, PROCESSES - 1);
        assert.notEqual(t3, t1, 'the survivors agree on one new token');
        // No survivor gave up waiting (LockWaitTimeout) and backed off: they took over the
        // lock once its TTL ran out and adopted the new holder's write.
        assert.deepEqual(
          fleet.warnings.filter((w) => w.code === 'REFRESH_ERROR'),
          [],
          'no refresh failed after the kill',
        );
        const issues = await line.requests('issueV21');
        assert.ok(issues - 2 <= 1, `at most one extra token was issued (issues: ${issues})`);

        // The dead holder's token reached LINE, but its value died with the process: no
        // one can revoke it (LINE revokes by token, not by key id). It is never served and
        // ends at its own expiry; until then the channel holds at most one more token.
        const orphans = (await line.liveV21()).filter(
          (i) => i.accessToken !== t3 && i.accessToken !== t1,
        );
        assert.ok(orphans.length <= 1);
        const servedLater = new Set<string>([t3]);
        let maxLive = 0;
        const orphanExpiry = orphans[0]?.expiresAt ?? line.now;
        while (line.now <= orphanExpiry! + STEP_SEC * 1000 || servedLater.size < 3) {
          await line.advance(STEP_SEC);
          const r = await checkRound(line, await fleet.round(line.now, CALLERS), PROCESSES - 1);
          for (const token of r.tokens) {
            assert.ok(!orphans.some((o) => o.accessToken === token), 'the orphan is never served');
          }
          const { token, live } = await settled(fleet, line, PROCESSES - 1);
          servedLater.add(token);
          maxLive = Math.max(maxLive, live);
          assert.ok(live <= 2 + orphans.length);
        }
        const finalLive = await line.liveV21();
        assert.ok(finalLive.length <= 2, 'once the orphan expired, one or two live tokens again');
        assert.equal(
          await line.requests('issueV21'),
          issues + servedLater.size - 1,
          'after the kill, one issue per rotation again',
        );
        report(t, [
          `killed pid ${victim} mid-issue; survivors served a new token ${Math.round(servedAgainMs)} ms later (lockTtlMs ${KILL_LOCK_TTL_MS})`,
          `extraTokens=${issues - 2} orphanRevocable=false maxLiveAfterKill=${maxLive}`,
          ...fleet.warnings.map((w) => `${w.pid} ${w.code} ${w.message}`),
        ]);
      },
    );

    test(
      'Redis stopped and restarted mid-run: no failed getToken() while a valid token exists, then one token again',
      HANG_GUARD,
      async (t) => {
        const own = await startRedisServer(binary);
        const line = await startLine();
        const fleet = await Fleet.start(PROCESSES, line, {
          client: 'ioredis',
          redisUrl: own.url,
          prefix: 'fleet-restart',
          tokenExpSec: TOKEN_EXP_SEC,
          lockTtlMs: LOCK_TTL_MS,
          commandTimeoutMs: COMMAND_TIMEOUT_MS,
        });
        defer(t, async () => {
          await fleet.close();
          await line.emulator.close();
          await own.close();
        });
        await checkRound(line, await fleet.round(line.now, CALLERS), PROCESSES);
        await settled(fleet, line, PROCESSES);
        await own.stop();

        // Through the refresh window with Redis down: every process falls back to a token
        // of its own (its share, one each) and keeps serving.
        let issuesBefore = await line.requests('issueV21');
        let degradedRounds = 0;
        for (let i = 0; i < 9; i++) {
          await line.advance(STEP_SEC);
          const reports = await fleet.round(line.now, CALLERS);
          // Each process may be on a token of its own while Redis is down.
          await checkRound(line, reports, PROCESSES, PROCESSES + 1);
          if (reports.some((r) => r.degraded)) degradedRounds++;
        }
        assert.ok(degradedRounds > 0, 'the outage was noticed');
        const outageIssues = (await line.requests('issueV21')) - issuesBefore;
        assert.ok(
          outageIssues <= PROCESSES,
          `each process issued at most its own share (${outageIssues})`,
        );
        assert.ok(fleet.warnings.some((w) => w.code === 'STORE_DEGRADED'));

        await own.start();
        issuesBefore = await line.requests('issueV21');
        let converged = 0;
        let rounds = 0;
        let live = Infinity;
        // Reconverged: the whole fleet on one token and at most two live on the channel.
        while (converged < 3) {
          assert.ok(rounds++ < 40, 'the fleet reconverges');
          const r = await reconvergeStep(fleet, line, {
            workers: PROCESSES,
            callers: CALLERS,
            stepSec: STEP_SEC,
          });
          live = r.live;
          converged = r.tokens.size === 1 && r.live <= 2 ? converged + 1 : 0;
        }
        const reconvergeIssues = (await line.requests('issueV21')) - issuesBefore;
        assert.ok(fleet.warnings.some((w) => w.code === 'STORE_RECOVERED'));
        report(t, [
          `outage: ${outageIssues} tokens issued by ${PROCESSES} processes on their own (one each at most)`,
          `after restart: reconverged in ${rounds} rounds with ${reconvergeIssues} issue(s); live v2.1 tokens ${live}`,
          ...fleet.warnings.map((w) => `${w.pid} ${w.code} ${w.message}`),
        ]);
      },
    );
  });
}
