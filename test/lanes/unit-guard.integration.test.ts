// The unit lane's preload must refuse servers, child processes and workers with a message that
// names the fix, or misfiled tests would slowly turn the fast lane back into the slow one. Each
// case runs the node:test runner as `npm run test:unit` does, on one probe file.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const probe = fileURLToPath(new URL('fixtures/guard-probe.ts', import.meta.url));

/** Runs the probe under the unit-lane preload; resolves with its exit code and output. */
async function underGuard(mode: string): Promise<{ code: number; output: string }> {
  // NODE_TEST_CONTEXT is set in this file's own process; the nested runner must start fresh.
  const { NODE_TEST_CONTEXT: _ignored, ...env } = process.env;
  const args = ['--import', 'tsx', '--import', './test/lanes/unit-guard.ts', '--test', probe];
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd: root,
      env: { ...env, GUARD_PROBE: mode },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the unit-lane preload', () => {
  for (const [mode, api] of [
    ['listen', 'net.Server#listen'],
    ['spawn', 'child_process.spawnSync'],
    ['worker', 'new Worker'],
  ] as const) {
    test(`refuses ${api}, naming the file and the rename that fixes it`, async () => {
      const { code, output } = await underGuard(mode);
      assert.equal(code, 1, output);
      assert.ok(output.includes(`${api}`), output);
      assert.ok(output.includes('in the unit lane (') && output.includes('guard-probe.ts'), output);
      assert.ok(output.includes('*.integration.test.ts'), output);
    });
  }

  test('lets pure code pass', async () => {
    const { code, output } = await underGuard('none');
    assert.equal(code, 0, output);
  });
});
