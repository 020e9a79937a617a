// One token per rotation on Deno KV too: 4 Deno processes sharing one local KV file, through 10
// rotations on the emulator's virtual clock, each round 250 concurrent getToken() calls
// per process. One token per rotation for the whole fleet, counted at the emulator.
// Two clocks, as for Workers: steps past expiry, and steps inside the refresh window.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { generateKeyPair } from '../../dist/index.js';
import { startEmulator, type Emulator } from '../../dist/emulator/index.js';
import { LineChild, bin, requireRuntimes } from './harness.js';
import { defer, tempDirFor } from '../fixtures.js';

const PROCESSES = 4;
const CALLERS = 250;
const ROTATIONS = 10;
// A 1-hour token: 3,060 s steps land inside the refresh window, before the serving limit.
const TOKEN_EXP_SEC = 3_600;
const IN_WINDOW_STEP_SEC = 3_060;
const HANG_GUARD = { timeout: 240_000 };

interface RoundReport {
  tokens: string[];
  failures: number;
  errors: string[];
  warnings: string[];
}

async function runFleet(t: TestContext, emulator: Emulator, stepSec: number): Promise<void> {
  const channel = await emulator.admin.createChannel();
  const { privateJwk, publicJwk } = await generateKeyPair();
  const { kid } = await emulator.admin.registerKey(channel.id, publicJwk);
  const dir = tempDirFor(t, 'line-token-deno-kv-');
  const config = JSON.stringify({
    baseUrl: emulator.url,
    channelId: channel.id,
    channelSecret: channel.secret,
    kid,
    privateJwk,
    tokenExpSec: TOKEN_EXP_SEC,
    kvPath: join(dir, 'kv.sqlite3'),
    encryptionKey: randomBytes(32).toString('base64'),
    callers: CALLERS,
  });
  // Network to loopback and the KV file's folder: nothing else.
  const fleet = Array.from(
    { length: PROCESSES },
    () =>
      new LineChild(bin('deno'), [
        'run',
        '--no-prompt',
        '--sloppy-imports',
        '--unstable-kv',
        '--allow-net=127.0.0.1',
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        'deno-fleet-entry.ts',
        config,
      ]),
  );
  defer(t, () => {
    for (const child of fleet) child.kill();
  });
  for (const child of fleet) assert.equal((await child.next())['ready'], true);
  const issuesBefore = (await emulator.admin.stats()).requests['issueV21'] ?? 0;
  const served = new Set<string>();
  for (let rotation = 0; rotation <= ROTATIONS; rotation++) {
    const { now } = await emulator.admin.advanceClock(rotation === 0 ? 0 : stepSec);
    for (const child of fleet) child.send(String(now));
    const reports = (await Promise.all(fleet.map((c) => c.next()))) as unknown as RoundReport[];
    const failures = reports.reduce((n, r) => n + r.failures, 0);
    assert.equal(failures, 0, `failed getToken(): ${reports.flatMap((r) => r.errors).join('; ')}`);
    // A degraded store would let a process issue its own token: none may degrade.
    assert.deepEqual(
      reports.flatMap((r) => r.warnings),
      [],
      `round ${rotation}: store warnings`,
    );
    const tokens = new Set(reports.flatMap((r) => r.tokens));
    const live = await emulator.admin.listTokens(channel.id);
    for (const token of tokens) {
      const info = live.find((x) => x.accessToken === token);
      assert.ok(info, `round ${rotation}: a served token is live (not expired, not revoked)`);
      assert.ok(info.expiresAt !== null && info.expiresAt > now, 'a served token has not expired');
      served.add(token);
    }
    assert.equal(tokens.size, 1, `round ${rotation}: the whole fleet served one token`);
  }
  const issues = ((await emulator.admin.stats()).requests['issueV21'] ?? 0) - issuesBefore;
  t.diagnostic(
    `${PROCESSES * CALLERS * (ROTATIONS + 1)} getToken() calls, ${issues} issue requests`,
  );
  assert.equal(served.size, ROTATIONS + 1, 'a new token each rotation');
  assert.equal(issues, ROTATIONS + 1, 'issue requests = rotations + 1');
  for (const child of fleet) child.send('exit');
  for (const child of fleet) assert.equal((await child.next())['closed'], true);
}

if (requireRuntimes('deno-kv fleet')) {
  describe('Deno processes sharing one Deno KV file', HANG_GUARD, () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator();
    });
    after(() => emulator?.close());

    test(`${PROCESSES} processes x ${CALLERS} callers, ${ROTATIONS} rotations, each step past expiry`, (t) =>
      runFleet(t, emulator, TOKEN_EXP_SEC));

    test(`${PROCESSES} processes x ${CALLERS} callers, ${ROTATIONS} rotations, each step inside the refresh window`, (t) =>
      runFleet(t, emulator, IN_WINDOW_STEP_SEC));
  });
}
