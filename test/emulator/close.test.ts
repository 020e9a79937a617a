// Regression: a latency fault's timer once kept a closed emulator's process alive until
// the delay ended, so a test suite using latency lingered after its last test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const entry = fileURLToPath(new URL('../../src/emulator/index.ts', import.meta.url));

const script = `
const { startEmulator } = await import(${JSON.stringify(entry)});
const emu = await startEmulator({ channels: [{ id: '1234567890', secret: 'test-secret' }] });
await emu.admin.setFaults({ global: { latencyMs: 60000 } });
const pending = fetch(emu.url + '/v2/oauth/verify', {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'access_token=x',
}).then(() => 'answered', () => 'dropped');
await new Promise((resolve) => setTimeout(resolve, 300));
await emu.close();
console.log(await pending);
`;

test('a closed emulator lets its process exit while a latency fault is still pending', async () => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // A hang guard, not a speed check: the fault holds the request for a minute, the guard fires at half that.
  const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearTimeout(guard);
  assert.equal(signal, null, 'the process had to be killed: something kept it alive');
  assert.equal(code, 0);
  assert.equal(stdout.trim(), 'dropped', 'the pending request is dropped by close()');
});
