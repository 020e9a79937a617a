// close() never waits on a client.
// Regression: a latency fault's timer once kept a closed emulator's process alive until
// the delay ended, so a test suite using latency lingered after its last test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';

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

test('close() ends every connection itself: a half-open socket after a parse error, a half-sent request, an idle keep-alive', async () => {
  const emu = await startEmulator({ port: 0 });
  const { hostname, port } = new URL(emu.url);
  const clients: Socket[] = [];
  const ended: Array<Promise<unknown>> = [];
  const connect = async (): Promise<Socket> => {
    const socket = createConnection({ host: hostname, port: Number(port), allowHalfOpen: true });
    await once(socket, 'connect');
    ended.push(once(socket, 'end'));
    clients.push(socket);
    return socket;
  };
  // A request Node cannot parse: answered, then the client neither reads nor hangs up.
  const garbled = await connect();
  garbled.write('NOT HTTP AT ALL\r\n\r\n');
  await once(garbled, 'data');
  garbled.pause();
  // A request whose body never arrives in full.
  const halfSent = await connect();
  halfSent.write(
    'POST /v2/oauth/accessToken HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\ngrant_type=',
  );
  // A connection that sends nothing.
  await connect();
  await emu.close();
  // close() resolved without any of these clients hanging up; each now sees the server's end.
  for (const client of clients) client.resume();
  await Promise.all(ended);
  for (const client of clients) client.destroy();
});
