// The admin API is for this machine's tests only: a web page cannot drive it (a foreign
// Origin is refused, and so is a POST or PUT body that is not application/json, the only
// kind a cross-site form cannot send), and the request log never prints an unknown path.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { raw, start } from './helpers.js';

const CH = { id: '1400000001', secret: 'g'.repeat(32) };
const JSON_TYPE = { 'content-type': 'application/json' };

describe('admin API guard', () => {
  let emu: Emulator;
  const lines: string[] = [];
  before(async () => {
    ({ emu } = await start({ channels: [CH], log: (l) => lines.push(l) }));
  });
  after(() => emu.close());

  test('refuses a foreign Origin with 403, whatever the method, and changes nothing', async () => {
    for (const origin of [
      'https://evil.example',
      'http://127.0.0.1.nip.io:8080', // DNS rebinding: a name that resolves to loopback
      'null',
      'http://localhost.evil.example',
    ]) {
      const created = await raw(emu.url, {
        method: 'POST',
        path: '/__emulator/channels',
        headers: { ...JSON_TYPE, origin },
        body: JSON.stringify({ id: 'csrf' }),
      });
      assert.equal(created.status, 403, origin);
      assert.match((created.json as { message: string }).message, /Origin/);
      const read = await raw(emu.url, {
        method: 'GET',
        path: `/__emulator/channels/${CH.id}/tokens`,
        headers: { origin },
      });
      assert.equal(read.status, 403, origin);
    }
    const channels = await raw(emu.url, { method: 'GET', path: '/__emulator/channels' });
    assert.deepEqual(channels.json, { channels: [{ id: CH.id }] }, 'no channel was created');
  });

  test('accepts a loopback Origin (a page or tool on this machine) and no Origin', async () => {
    for (const origin of ['http://127.0.0.1:5173', 'http://localhost:3000', 'http://[::1]:8080']) {
      const r = await raw(emu.url, {
        method: 'GET',
        path: '/__emulator/stats',
        headers: { origin },
      });
      assert.equal(r.status, 200, origin);
    }
    assert.equal((await raw(emu.url, { method: 'GET', path: '/__emulator/stats' })).status, 200);
  });

  test('refuses POST and PUT bodies that are not application/json with 415', async () => {
    for (const type of [
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      for (const [method, path] of [
        ['POST', '/__emulator/channels'],
        ['PUT', '/__emulator/faults'],
        ['POST', '/__emulator/reset'],
      ] as const) {
        const r = await raw(emu.url, {
          method,
          path,
          headers: type === undefined ? {} : { 'content-type': type },
          body: '{}',
        });
        assert.equal(r.status, 415, `${method} ${path} ${type}`);
        assert.deepEqual(r.json, { message: 'the admin API takes application/json bodies only' });
      }
    }
    const ok = await raw(emu.url, {
      method: 'POST',
      path: '/__emulator/channels',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ id: 'made' }),
    });
    assert.equal(ok.status, 201);
    // A bare POST with neither body nor type (what createEmulatorAdmin sends for reset).
    assert.equal((await raw(emu.url, { method: 'POST', path: '/__emulator/reset' })).status, 200);
  });

  test('the request log shows admin routes as patterns, never a path as sent', async () => {
    lines.length = 0;
    const token = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLXZhbHVl.c2ln';
    await raw(emu.url, { method: 'GET', path: `/__emulator/${token}` });
    await raw(emu.url, { method: 'GET', path: `/__emulator/channels/${token}/tokens` });
    await raw(emu.url, { method: 'GET', path: `/__emulator/channels/${token}/x/y` });
    await raw(emu.url, { method: 'POST', path: `/v2/bot/${token}` });
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, /^GET \/__emulator\/\(unknown route\) 404 /);
    assert.match(lines[1]!, /^GET \/__emulator\/channels\/\{\}\/tokens 404 /);
    assert.match(lines[2]!, /^GET \/__emulator\/\(unknown route\) 404 /);
    assert.match(lines[3]!, /^POST \(not emulated \/v2\/bot\/ path\) 501 /);
    for (const line of lines) assert.ok(!line.includes('c2VjcmV0'), line);
  });
});

// DNS rebinding: a hostile name that resolves to 127.0.0.1 makes the attacker's page and the
// emulator "same-origin", so its GETs carry no Origin at all; they do carry that name as Host.
describe('admin API Host check (DNS rebinding)', () => {
  let emu: Emulator;
  before(async () => {
    ({ emu } = await start({ channels: [CH], adminHosts: ['emulator', 'IP.example.'] }));
  });
  after(() => emu.close());
  const port = () => new URL(emu.url).port;

  test('refuses a name it was not given, for reads and writes alike, and leaks nothing', async () => {
    for (const host of [
      `evil.example:${port()}`,
      'evil.example',
      `localhost.evil.example:${port()}`,
    ]) {
      const read = await raw(emu.url, {
        method: 'GET',
        path: `/__emulator/channels/${CH.id}/tokens`,
        headers: { host },
      });
      assert.equal(read.status, 403, host);
      const message = (read.json as { message: string }).message;
      assert.match(message, /localhost or an IP address only/);
      assert.ok(
        message.endsWith(`(line-token emulator --admin-host ${host.split(':')[0]})`),
        message,
      );
      assert.doesNotMatch(read.text, /accessToken|tokens/);
      const reset = await raw(emu.url, {
        method: 'POST',
        path: '/__emulator/reset',
        headers: { host },
      });
      assert.equal(reset.status, 403, host);
    }
  });

  test('answers under localhost, IP addresses and the names given (any case, a trailing dot)', async () => {
    for (const host of [
      `127.0.0.1:${port()}`,
      `localhost:${port()}`,
      `LOCALHOST:${port()}`,
      `[::1]:${port()}`,
      '192.168.1.20',
      `emulator:${port()}`,
      'Emulator.',
      'ip.example',
    ]) {
      const r = await raw(emu.url, { method: 'GET', path: '/__emulator/stats', headers: { host } });
      assert.equal(r.status, 200, host);
    }
  });

  test('echoes a Host that is not a name as NAME, never as given', async () => {
    const r = await raw(emu.url, {
      method: 'GET',
      path: '/__emulator/stats',
      headers: { host: 'x_y!<script>' },
    });
    assert.equal(r.status, 403);
    assert.doesNotMatch(r.text, /script/);
    assert.match((r.json as { message: string }).message, /--admin-host NAME/);
  });

  test('leaves the token API and the Messaging API stand-in open under any name', async () => {
    const issued = await raw(emu.url, {
      method: 'POST',
      path: '/v2/oauth/accessToken',
      headers: { host: 'evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${CH.id}&client_secret=${CH.secret}`,
    });
    assert.equal(issued.status, 200);
  });

  test('refuses adminHosts entries that are not host names', async () => {
    for (const bad of [['evil example'], [''], [42], 'emulator']) {
      await assert.rejects(
        start({ adminHosts: bad as unknown as string[] }),
        /adminHosts/,
        JSON.stringify(bad),
      );
    }
  });
});
