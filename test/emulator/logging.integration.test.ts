// Request log lines: one per request, with method, known path, status and request id, and
// never a token, channel secret or assertion, wherever the caller put them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ASSERTION_TYPE,
  claims,
  getQuery,
  header,
  postForm,
  raw,
  rsaKey,
  signJws,
  start,
} from './helpers.js';
import { defer } from '../fixtures.js';

const CH = { id: '1900000001', secret: 'S3CRET-'.padEnd(32, 'x') };

describe('request log', () => {
  test('logs one safe line per request', async (t) => {
    const lines: string[] = [];
    const { emu, clock } = await start({ channels: [CH], log: (l) => lines.push(l) });
    defer(t, () => emu.close());
    const key = rsaKey('log');
    const { kid } = await emu.admin.registerKey(CH.id, key.publicJwk);
    const assertion = signJws(header(kid), claims(CH.id, clock.sec), key.privateKey);
    const v21 = await postForm(emu.url, '/oauth2/v2.1/token', {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
    const token = (v21.json as { access_token: string }).access_token;
    await getQuery(emu.url, '/oauth2/v2.1/verify', { access_token: token });
    await postForm(emu.url, '/v2/oauth/accessToken', {
      grant_type: 'client_credentials',
      client_id: CH.id,
      client_secret: CH.secret,
    });
    await raw(emu.url, { method: 'GET', path: `/${token}` });
    await emu.admin.setFaults({ global: { sequence: [{ type: 'status', status: 503 }] } });
    await postForm(emu.url, '/v2/oauth/verify', { access_token: token });

    assert.equal(lines.length, 5);
    assert.match(lines[0]!, /^POST \/oauth2\/v2\.1\/token 200 [\d.]+ms [0-9a-f-]{36}$/);
    assert.match(lines[1]!, /^GET \/oauth2\/v2\.1\/verify 200 /);
    assert.match(lines[3]!, /^GET \(unknown path\) 404 /);
    assert.match(lines[4]!, /^POST \/v2\/oauth\/verify 503 .* fault=status$/);
    const all = lines.join('\n');
    for (const secret of [token, CH.secret, assertion, assertion.split('.')[2]!]) {
      assert.ok(!all.includes(secret), 'no secret in the log');
    }
  });

  test('a log sink that throws does not break answers', async (t) => {
    const { emu } = await start({
      log: () => {
        throw new Error('stderr closed');
      },
    });
    defer(t, () => emu.close());
    assert.equal((await postForm(emu.url, '/v2/oauth/verify', {})).status, 400);
    assert.equal((await postForm(emu.url, '/v2/oauth/verify', {})).status, 400);
  });
});
