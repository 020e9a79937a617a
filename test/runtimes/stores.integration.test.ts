// The edge stores on their real backends: the Durable Object store inside workerd
// (miniflare, a real Durable Object binding) and the Deno KV store under Deno on a local
// KV file. Both run the same checks (store-checks.ts): get/set/delete and TTL, an
// exclusive lock, takeover of an expired lock, a stale holder's harmless release,
// waitForChange woken by a write, encryption at rest, and clear errors for bad options.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  COMPATIBILITY_DATE,
  bin,
  bundleWorker,
  lastJson,
  miniflare,
  requireRuntimes,
  run,
} from './harness.js';
import { defer, tempDirFor } from '../fixtures.js';

const CHECKS = [
  'get/set/delete/ttl',
  'lock is exclusive',
  'expired lock taken over, stale release harmless',
  'waitForChange wakes on a write',
  'encryption at rest',
  'bad options refused',
];

if (requireRuntimes('edge stores')) {
  describe('the edge stores on their real backends', { timeout: 120_000 }, () => {
    test('DurableObjectTokenStore + LineTokenDurableObject in workerd', async (t) => {
      const mf = await miniflare({
        modules: true,
        script: await bundleWorker('store-worker-entry.ts'),
        compatibilityDate: COMPATIBILITY_DATE,
        durableObjects: { TOKENS: 'LineTokenDurableObject' },
      });
      defer(t, () => mf.dispose());
      const res = await mf.dispatchFetch('http://worker/');
      const report = JSON.parse(await res.text()) as Record<string, unknown>;
      assert.equal(report['ok'], true, String(report['error']));
      assert.deepEqual(report['passed'], [
        ...CHECKS,
        'Durable Object wait woken by a write, not its timeout',
      ]);
    });

    test('DenoKvTokenStore on a local Deno KV file', async (t) => {
      const dir = tempDirFor(t, 'line-token-kv-');
      const result = await run(bin('deno'), [
        'run',
        '--no-prompt',
        '--sloppy-imports',
        '--unstable-kv',
        `--allow-read=${dir}`,
        `--allow-write=${dir}`,
        'store-deno-entry.ts',
        join(dir, 'kv.sqlite3'),
      ]);
      const report = lastJson(result);
      assert.equal(report['ok'], true, String(report['error']));
      assert.deepEqual(report['passed'], CHECKS);
    });
  });
}
