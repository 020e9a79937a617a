// Workers that keep a module-scope manager without a Durable Object (miniflare, workerd):
// each isolate holds a token of its own on its memory store. Below the ceiling every one
// is served, and each counts the others' tokens as other holders' (FOREIGN_TOKENS), not
// as tokens it lost, so the sixth cold isolate is not refused.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateKeyPair } from '../../dist/index.js';
import { startEmulator } from '../../dist/emulator/index.js';
import { COMPATIBILITY_DATE, bundleWorker, miniflare, requireRuntimes } from './harness.js';
import { defer } from '../fixtures.js';

const ISOLATES = 8;
const HANG_GUARD = { timeout: 240_000 };

interface Answer {
  token?: string;
  error?: string;
  warnings: string[];
  foreignTokens?: number;
  unaccountedTokens?: number;
}

if (requireRuntimes('isolates without a Durable Object')) {
  describe('Workers with module-scope managers and no Durable Object', HANG_GUARD, () => {
    test(`${ISOLATES} isolates on one v2.1 channel: all served, each sees the others as other holders`, async (t) => {
      const emulator = await startEmulator();
      const channel = await emulator.admin.createChannel();
      const { privateJwk, publicJwk } = await generateKeyPair();
      const { kid } = await emulator.admin.registerKey(channel.id, publicJwk);
      const config = JSON.stringify({
        baseUrl: emulator.url,
        channelId: channel.id,
        channelSecret: channel.secret,
        kid,
        privateJwk,
        tokenExpSec: 3_600,
      });
      const script = await bundleWorker('isolate-entry.ts');
      const mf = await miniflare({
        workers: Array.from({ length: ISOLATES }, (_, i) => ({
          name: `bot-${i}`,
          modules: true,
          script,
          compatibilityDate: COMPATIBILITY_DATE,
          bindings: { CONFIG: config },
        })),
      });
      defer(t, async () => {
        await mf.dispose();
        await emulator.close();
      });
      const { now } = await emulator.admin.advanceClock(0);
      const ask = async (i: number): Promise<Answer> => {
        const worker = await mf.getWorker(`bot-${i}`);
        const res = await worker.fetch('http://bot/', {
          headers: { 'x-virtual-now': String(now) },
        });
        return JSON.parse(await res.text()) as Answer;
      };
      // One after another, as cold isolates come up: each finds the others' tokens live.
      const first: Answer[] = [];
      for (let i = 0; i < ISOLATES; i++) {
        const a = await ask(i);
        assert.ok(a.token, `isolate ${i + 1} served (${a.error ?? ''})`);
        assert.equal(a.foreignTokens, i, `isolate ${i + 1} counts the others' tokens as foreign`);
        assert.equal(a.unaccountedTokens, 0, 'none of them counts as its own loss');
        assert.equal(
          a.warnings.filter((w) => w === 'FOREIGN_TOKENS').length,
          i === 0 ? 0 : 1,
          `isolate ${i + 1} warned once that others hold tokens`,
        );
        first.push(a);
      }
      assert.equal(new Set(first.map((a) => a.token)).size, ISOLATES, 'a token per isolate');
      const live = await emulator.admin.listTokens(channel.id);
      assert.equal(live.length, ISOLATES);
      // Each keeps serving its own token, no new issue.
      const again = await Promise.all(Array.from({ length: ISOLATES }, (_, i) => ask(i)));
      for (let i = 0; i < ISOLATES; i++) assert.equal(again[i]!.token, first[i]!.token);
      assert.equal((await emulator.admin.stats()).requests['issueV21'], ISOLATES);
      t.diagnostic(`${ISOLATES} isolates, ${live.length} live v2.1 tokens, all served`);
    });
  });
}
