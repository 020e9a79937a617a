// One token per rotation on Cloudflare Durable Objects too: several Workers bound to one Durable
// Object namespace in miniflare (workerd, no nodejs_compat), each serving 250 concurrent requests a
// round, through 10 rotations on the emulator's virtual clock. One token per rotation for the whole
// fleet, counted at the emulator; every served token live. Two clocks: steps of a whole token
// lifetime (every isolate finds its token expired), and steps landing inside the refresh window
// (the token still valid but due).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test, type TestContext } from 'node:test';
import { generateKeyPair } from '../../dist/index.js';
import { startEmulator, type Emulator } from '../../dist/emulator/index.js';
import {
  COMPATIBILITY_DATE,
  bundleWorker,
  miniflare,
  requireRuntimes,
  sharedDurableObject,
} from './harness.js';
import { defer } from '../fixtures.js';

const WORKERS = 4;
const REQUESTS = 250;
const ROTATIONS = 10;
// A 1-hour token: the manager's window is 20% (720 s) plus up to 25% jitter, served until
// 30 s before expiry. 3,060 s steps land inside the window, before the serving limit.
const TOKEN_EXP_SEC = 3_600;
const IN_WINDOW_STEP_SEC = 3_060;
const HANG_GUARD = { timeout: 240_000 };

interface RoundReport {
  answered: number;
  tokens: string[];
  errors: string[];
  failed: number;
  warnings: string[];
}

/** Starts the fleet (a driver Worker + WORKERS bot Workers) and runs the rotations. */
async function runFleet(t: TestContext, emulator: Emulator, stepSec: number): Promise<void> {
  const channel = await emulator.admin.createChannel();
  const { privateJwk, publicJwk } = await generateKeyPair();
  const { kid } = await emulator.admin.registerKey(channel.id, publicJwk);
  const config = JSON.stringify({
    baseUrl: emulator.url,
    channelId: channel.id,
    channelSecret: channel.secret,
    kid,
    privateJwk,
    tokenExpSec: TOKEN_EXP_SEC,
    encryptionKey: randomBytes(32).toString('base64'),
  });
  const bot = await bundleWorker('fleet-worker-entry.ts');
  const mf = await miniflare({
    // The first Worker gets dispatchFetch: the driver, which fans each round out to the
    // bots through service bindings (real Worker requests, each its own request context).
    workers: [
      {
        name: 'driver',
        modules: true,
        script: await bundleWorker('fleet-driver-entry.ts'),
        compatibilityDate: COMPATIBILITY_DATE,
        serviceBindings: Object.fromEntries(
          Array.from({ length: WORKERS }, (_, i) => [`BOT${i}`, `bot-${i}`]),
        ),
      },
      ...Array.from({ length: WORKERS }, (_, i) => ({
        name: `bot-${i}`,
        modules: true,
        script: bot,
        compatibilityDate: COMPATIBILITY_DATE,
        compatibilityFlags: [],
        bindings: { CONFIG: config },
        durableObjects: { TOKENS: sharedDurableObject(i, 'LineTokenDurableObject', 'bot-0') },
      })),
    ],
  });
  defer(t, () => mf.dispose());
  const issuesBefore = (await emulator.admin.stats()).requests['issueV21'] ?? 0;
  const served = new Set<string>();
  for (let rotation = 0; rotation <= ROTATIONS; rotation++) {
    const { now } = await emulator.admin.advanceClock(rotation === 0 ? 0 : stepSec);
    const res = await mf.dispatchFetch('http://driver/', {
      method: 'POST',
      body: JSON.stringify({ now, workers: WORKERS, requests: REQUESTS }),
    });
    const report = JSON.parse(await res.text()) as RoundReport;
    assert.equal(report.answered, WORKERS * REQUESTS, 'every request was answered');
    assert.equal(report.failed, 0, `failed requests: ${report.errors.join('; ')}`);
    // A degraded store would let an isolate issue its own token: none may degrade.
    assert.deepEqual(report.warnings, [], 'manager warnings in the fleet');
    // Checked at the time they were served: live on the channel (not expired, not revoked).
    const live = await emulator.admin.listTokens(channel.id);
    for (const token of report.tokens) {
      const info = live.find((x) => x.accessToken === token);
      assert.ok(info, `round ${rotation}: a served token is live (not expired, not revoked)`);
      assert.ok(info.expiresAt !== null && info.expiresAt > now, 'a served token has not expired');
      served.add(token);
    }
    assert.equal(report.tokens.length, 1, `round ${rotation}: the whole fleet served one token`);
  }
  const issues = ((await emulator.admin.stats()).requests['issueV21'] ?? 0) - issuesBefore;
  t.diagnostic(`${WORKERS * REQUESTS * (ROTATIONS + 1)} requests, ${issues} issue requests`);
  assert.equal(served.size, ROTATIONS + 1, 'a new token each rotation');
  assert.equal(issues, ROTATIONS + 1, 'issue requests = rotations + 1');
}

if (requireRuntimes('cloudflare fleet')) {
  describe('a Workers fleet sharing one Durable Object', HANG_GUARD, () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator();
    });
    after(() => emulator?.close());

    test(`${WORKERS} Workers x ${REQUESTS} concurrent requests, ${ROTATIONS} rotations, each step past expiry`, (t) =>
      runFleet(t, emulator, TOKEN_EXP_SEC));

    test(`${WORKERS} Workers x ${REQUESTS} concurrent requests, ${ROTATIONS} rotations, each step inside the refresh window`, (t) =>
      runFleet(t, emulator, IN_WINDOW_STEP_SEC));
  });
}
