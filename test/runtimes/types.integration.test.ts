// The edge stores type their runtime's objects themselves (so the Node build needs no
// Deno or Cloudflare types). These tests prove the real types fit: a real `Deno.Kv` is a
// DenoKvLike (checked by Deno), and @cloudflare/workers-types' DurableObjectNamespace and
// DurableObjectState fit the Cloudflare store and Durable Object (checked by tsc).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, RUNTIMES_DIR, bin, requireRuntimes, run } from './harness.js';
import { defer, type Scope } from '../fixtures.js';

/**
 * A scratch folder inside this one, so `../../../dist` and the installs resolve; removed when
 * the test ends.
 */
function scratch(t: Scope, files: Record<string, string>): string {
  const dir = mkdtempSync(join(RUNTIMES_DIR, '.types-'));
  defer(t, () => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

if (requireRuntimes('runtime types')) {
  describe('the runtimes own types fit the stores', { timeout: 120_000 }, () => {
    test('a real Deno.Kv is accepted by DenoKvTokenStore (deno check --unstable-kv)', async (t) => {
      const dir = scratch(t, {
        'check.ts': `import { DenoKvTokenStore } from '../../../dist/deno-kv/index.js';
const kv: Deno.Kv = await Deno.openKv(':memory:');
export const store = new DenoKvTokenStore({ kv });
`,
      });
      const result = await run(bin('deno'), ['check', '--unstable-kv', join(dir, 'check.ts')]);
      assert.equal(result.code, 0, result.stderr);
    });

    test('@cloudflare/workers-types fit DurableObjectTokenStore and LineTokenDurableObject', async (t) => {
      const dir = scratch(t, {
        'check.ts': `/// <reference types="@cloudflare/workers-types" />
import { DurableObjectTokenStore, LineTokenDurableObject } from '../../../dist/cloudflare/index.js';
interface Env { LINE_TOKENS: DurableObjectNamespace }
export function make(env: Env, state: DurableObjectState): DurableObjectTokenStore {
  void new LineTokenDurableObject(state, env);
  return new DurableObjectTokenStore({ namespace: env.LINE_TOKENS });
}
`,
        'tsconfig.json': JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            exactOptionalPropertyTypes: true,
            noEmit: true,
            skipLibCheck: true,
            lib: ['ES2023'],
            types: [],
          },
          files: ['check.ts'],
        }),
      });
      const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
      const result = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
    });
  });
}
