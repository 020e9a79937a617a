// Issue 12: the core runs where LINE bots run. One scenario (scenario.ts) against the
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

function assertPassed(runtime: string, report: Record<string, unknown>): void {
  assert.equal(report['ok'], true, `${runtime}: ${String(report['error'])}`);
  assert.deepEqual(report['steps'], [...SCENARIO_STEPS], `${runtime} ran every step`);
}

describe('the scenario on each runtime', HANG_GUARD, () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  test('Node.js', async () => {
    const report = await runScenario(await configFor(emulator));
    assertPassed('node', { ok: true, ...report });
  });

  if (!requireRuntimes('runtimes')) return;

  test('Bun', async () => {
    const config = await configFor(emulator);
    const result = await run(bin('bun'), ['run', 'cli-entry.ts', JSON.stringify(config)]);
    assertPassed('bun', lastJson(result));
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
    assertPassed('deno', lastJson(result));
    assert.equal(result.code, 0);
  });

  test('workerd (miniflare), no nodejs_compat, globalThis.process undefined', async () => {
    const config = await configFor(emulator);
    const mf = await miniflare({
      modules: true,
      script: await bundleWorker('worker-entry.ts'),
      compatibilityDate: COMPATIBILITY_DATE,
      compatibilityFlags: [],
    });
    try {
      const res = await mf.dispatchFetch('http://worker/', {
        method: 'POST',
        body: JSON.stringify(config),
      });
      const report = JSON.parse(await res.text()) as Record<string, unknown>;
      assertPassed('workerd', report);
      assert.equal(report['processIsUndefined'], true);
    } finally {
      await mf.dispose();
    }
  });
});
