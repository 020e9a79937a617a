// Issue 12's Durable Object "done when": several Workers bound to one Durable Object
// namespace in miniflare (workerd, no nodejs_compat), each serving 250 concurrent
// requests a round, through 10 rotations on the emulator's virtual clock. One token
// per rotation for the whole fleet, counted at the emulator; every served token live.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair } from '../../dist/index.js';
import { startEmulator, type Emulator } from '../../dist/emulator/index.js';
import {
  COMPATIBILITY_DATE,
  bundleWorker,
  miniflare,
  requireRuntimes,
  type MiniflareLike,
} from './harness.js';

const WORKERS = Number(process.env.FLEET_WORKERS ?? 4);
const REQUESTS = Number(process.env.FLEET_REQUESTS ?? 250);
const ROTATIONS = Number(process.env.FLEET_ROTATIONS ?? 10);
const TOKEN_EXP_SEC = 3_600;
const HANG_GUARD = { timeout: 240_000 };

if (requireRuntimes('cloudflare fleet')) {
  describe('a Workers fleet sharing one Durable Object', HANG_GUARD, () => {
    let emulator: Emulator;
    let mf: MiniflareLike;
    let channelId: string;

    before(async () => {
      emulator = await startEmulator();
      const channel = await emulator.admin.createChannel();
      channelId = channel.id;
      const { privateJwk, publicJwk } = await generateKeyPair();
      const { kid } = await emulator.admin.registerKey(channelId, publicJwk);
      const config = JSON.stringify({
        baseUrl: emulator.url,
        channelId,
        channelSecret: channel.secret,
        kid,
        privateJwk,
        tokenExpSec: TOKEN_EXP_SEC,
        encryptionKey: randomBytes(32).toString('base64'),
      });
      const script = await bundleWorker('fleet-worker-entry.ts');
      const driver = {
        name: 'driver',
        modules: true,
        script: await bundleWorker('fleet-driver-entry.ts'),
        compatibilityDate: COMPATIBILITY_DATE,
        serviceBindings: Object.fromEntries(
          Array.from({ length: WORKERS }, (_, i) => [`BOT${i}`, `bot-${i}`]),
        ),
      };
      mf = await miniflare({
        // The first Worker gets dispatchFetch: the driver.
        workers: [
          driver,
          ...Array.from({ length: WORKERS }, (_, i) => ({
            name: `bot-${i}`,
            modules: true,
            script,
            compatibilityDate: COMPATIBILITY_DATE,
            compatibilityFlags: [],
            bindings: { CONFIG: config },
            // The first Worker hosts the class; the others bind to it by script name.
            durableObjects: {
              TOKENS:
                i === 0
                  ? 'LineTokenDurableObject'
                  : { className: 'LineTokenDurableObject', scriptName: 'bot-0' },
            },
          })),
        ],
      });
    });
    after(async () => {
      await mf?.dispose();
      await emulator?.close();
    });

    /** One round: every Worker gets REQUESTS concurrent requests at the emulator's current time. */
    async function round(): Promise<Set<string>> {
      const { now } = await emulator.admin.advanceClock(0);
      const res = await mf.dispatchFetch('http://driver/', {
        method: 'POST',
        body: JSON.stringify({ now, workers: WORKERS, requests: REQUESTS }),
      });
      const report = JSON.parse(await res.text()) as {
        answered: number;
        tokens: string[];
        errors: string[];
        failed: number;
        warnings: string[];
      };
      assert.equal(report.answered, WORKERS * REQUESTS, 'every request was answered');
      assert.equal(report.failed, 0, `failed requests: ${report.errors.join('; ')}`);
      // A degraded store would let an isolate issue its own token: none may degrade.
      assert.deepEqual(report.warnings, [], 'manager warnings in the fleet');
      const tokens = new Set(report.tokens);
      // Checked at the moment they were served: live on the channel, i.e. not expired, not revoked.
      const live = await emulator.admin.listTokens(channelId);
      for (const token of tokens) {
        const info = live.find((t) => t.accessToken === token);
        assert.ok(info, 'a served token is live (not expired, not revoked)');
        assert.ok(
          info.expiresAt !== null && info.expiresAt > now,
          'a served token has not expired',
        );
      }
      return tokens;
    }

    test(`${WORKERS} Workers x ${REQUESTS} concurrent requests, ${ROTATIONS} rotations: rotations + 1 issues`, async (t) => {
      const served: string[] = [];
      for (let rotation = 0; rotation <= ROTATIONS; rotation++) {
        if (rotation > 0) await emulator.admin.advanceClock(TOKEN_EXP_SEC);
        const tokens = await round();
        assert.equal(tokens.size, 1, `round ${rotation}: the whole fleet served one token`);
        served.push(...tokens);
      }
      assert.equal(new Set(served).size, ROTATIONS + 1, 'a new token each rotation');
      const { requests } = await emulator.admin.stats();
      t.diagnostic(`emulator requests: ${JSON.stringify(requests)}`);
      assert.equal(requests['issueV21'], ROTATIONS + 1, 'issue requests = rotations + 1');
    });
  });
}
