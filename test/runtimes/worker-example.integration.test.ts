// examples/cloudflare-worker as its users deploy it: the example's own file, bundled the way
// wrangler does (browser conditions, no Node built-ins), run by workerd in miniflare with the
// bindings its wrangler.toml declares and the secrets it names. Two Workers run the same
// script against one Durable Object namespace, many requests at once: every request gets the
// bot's info from the emulator's Messaging API stand-in, and one token serves them all.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair } from '../../dist/index.js';
import { startEmulator, type Emulator } from '../../dist/emulator/index.js';
import {
  COMPATIBILITY_DATE,
  ROOT,
  bundleWorker,
  miniflare,
  requireRuntimes,
  sharedDurableObject,
} from './harness.js';
import { defer } from '../fixtures.js';

const EXAMPLE = join(ROOT, 'examples/cloudflare-worker');
const WORKERS = 2;
const REQUESTS = 40;

if (requireRuntimes('cloudflare-worker example')) {
  describe('examples/cloudflare-worker', { timeout: 240_000 }, () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator();
    });
    after(() => emulator?.close());

    test(`${WORKERS} Workers x ${REQUESTS} concurrent requests share one token`, async (t) => {
      const wrangler = await readFile(join(EXAMPLE, 'wrangler.toml'), 'utf8');
      // The binding and class names the test uses are the ones the example declares.
      assert.match(wrangler, /name = "LINE_TOKENS"\nclass_name = "LineTokenDurableObject"/);
      assert.match(wrangler, /main = "worker\.mjs"/);

      const channel = await emulator.admin.createChannel();
      const { privateJwk, publicJwk } = await generateKeyPair();
      const { kid } = await emulator.admin.registerKey(channel.id, publicJwk);
      const secrets = {
        LINE_CHANNEL_ID: channel.id,
        LINE_CHANNEL_SECRET: channel.secret,
        LINE_ASSERTION_KID: kid,
        LINE_ASSERTION_PRIVATE_KEY: JSON.stringify(privateJwk),
        TOKEN_STORE_KEY: randomBytes(32).toString('base64'),
        LINE_API_BASE_URL: emulator.url,
      };
      const script = await bundleWorker('../../examples/cloudflare-worker/worker.mjs');
      const mf = await miniflare({
        workers: Array.from({ length: WORKERS }, (_, i) => ({
          name: `bot-${i}`,
          modules: true,
          script,
          compatibilityDate: COMPATIBILITY_DATE,
          bindings: secrets,
          durableObjects: {
            LINE_TOKENS: sharedDurableObject(i, 'LineTokenDurableObject', 'bot-0'),
          },
        })),
      });
      defer(t, () => mf.dispose());
      const workers = await Promise.all(
        Array.from({ length: WORKERS }, (_, i) => mf.getWorker(`bot-${i}`)),
      );
      const answers = await Promise.all(
        workers.flatMap((worker) =>
          Array.from({ length: REQUESTS }, async () => {
            const res = await worker.fetch('http://bot/');
            return { status: res.status, body: await res.text() };
          }),
        ),
      );
      for (const { status, body } of answers) {
        assert.equal(status, 200, body);
        assert.equal(
          (JSON.parse(body) as { displayName: string }).displayName,
          `Emulator bot ${channel.id}`,
        );
      }
      const { requests, messagingApi } = await emulator.admin.stats();
      assert.equal(requests['issueV21'], 1, 'one token for both Workers');
      assert.equal(messagingApi?.['v2.1']?.['ok'], WORKERS * REQUESTS);
      const live = await emulator.admin.listTokens(channel.id);
      assert.equal(live.length, 1);
    });
  });
}
