// The core must run wherever LINE bots run. One scenario (scenario.ts) against the
// Node emulator on loopback, run by Node itself, by Bun, by Deno with no permission but
// the network to 127.0.0.1, and inside a Worker's fetch handler in workerd (miniflare,
// no nodejs_compat), each runtime on its own channel.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../dist/emulator/index.js';
import {
  COMPATIBILITY_DATE,
  bin,
  bundleWorker,
  lastJson,
  miniflare,
  requireRuntimes,
  run,
} from './harness.js';
import { SCENARIO_STEPS, runScenario, type ScenarioConfig } from './scenario.js';
import { defer } from '../fixtures.js';

const HANG_GUARD = { timeout: 180_000 };

async function configFor(emulator: Emulator): Promise<ScenarioConfig> {
  const channel = await emulator.admin.createChannel();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    baseUrl: emulator.url,
    channelId: channel.id,
    channelSecret: channel.secret,
    pkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    pkcs8Pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** What the package's `node` condition gives Node, and what every other runtime gets. */
const NODE_PATHS = { transport: 'node:http', signing: 'node:crypto' };
const PORTABLE_PATHS = { transport: 'fetch', signing: 'webcrypto' };

function assertPassed(
  runtime: string,
  report: Record<string, unknown>,
  paths: typeof NODE_PATHS,
): void {
  assert.equal(report['ok'], true, `${runtime}: ${String(report['error'])}`);
  assert.deepEqual(report['steps'], [...SCENARIO_STEPS], `${runtime} ran every step`);
  assert.deepEqual(report['paths'], paths, `${runtime} took the paths meant for it`);
}

describe('the scenario on each runtime', HANG_GUARD, () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  // Under tsx, as here, the repository's tsconfig "paths" send `#...` to the Node sources;
  // test/package/consumers.test.ts proves plain Node picks them from the packed package.
  test('Node.js', async () => {
    const report = await runScenario(await configFor(emulator));
    assertPassed('node', { ok: true, ...report }, NODE_PATHS);
  });

  if (!requireRuntimes('runtimes')) return;

  test('Bun', async () => {
    const config = await configFor(emulator);
    // Bun applies tsconfig "paths" at run time, and the repository's map the package's
    // `#...` imports to their Node sources (for tsc and tsx); users never have them, so Bun
    // runs with an empty tsconfig and the built package's "imports" decide.
    const result = await run(bin('bun'), [
      'run',
      '--tsconfig-override=bun.tsconfig.json',
      'cli-entry.ts',
      JSON.stringify(config),
    ]);
    // Bun honours `node` but is sent to the portable paths (`bun` comes first): its
    // node:http is a layer over its own fetch.
    assertPassed('bun', lastJson(result), PORTABLE_PATHS);
    assert.equal(result.code, 0);
  });

  test('Deno, with --allow-net=127.0.0.1 and no other permission', async () => {
    const config = await configFor(emulator);
    // --sloppy-imports only lets the test files' `./scenario.js` find scenario.ts (the
    // package itself is plain JS); --no-prompt turns a missing permission into a failure.
    const result = await run(bin('deno'), [
      'run',
      '--no-prompt',
      '--sloppy-imports',
      '--allow-net=127.0.0.1',
      'cli-entry.ts',
      JSON.stringify(config),
    ]);
    // Deno too honours `node`, and is sent to fetch and WebCrypto by the `deno` condition.
    assertPassed('deno', lastJson(result), PORTABLE_PATHS);
    assert.equal(result.code, 0);
  });

  test('workerd (miniflare), no nodejs_compat, globalThis.process undefined', async (t) => {
    const config = await configFor(emulator);
    const mf = await miniflare({
      modules: true,
      script: await bundleWorker('worker-entry.ts'),
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: [],
    });
    defer(t, () => mf.dispose());
    const res = await mf.dispatchFetch('http://worker/', {
      method: 'POST',
      body: JSON.stringify(config),
    });
    const report = JSON.parse(await res.text()) as Record<string, unknown>;
    assertPassed('workerd', report, PORTABLE_PATHS);
    assert.equal(report['processIsUndefined'], true);
  });
});
