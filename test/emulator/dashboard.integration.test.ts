// The dashboard's data, over plain HTTP: the token timeline on the virtual clock (issue,
// refresh, revoke, expiry, eviction), the request log with LINE's text and the rule behind
// each refusal, no secret or whole token anywhere, and the admin guard in front of the page
// and its routes. The page itself is driven in a real browser by dashboard-browser.test.ts.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import type { DashboardState } from '../../src/emulator/dashboard/snapshot.js';
import {
  ASSERTION_TYPE,
  claims,
  header,
  postForm,
  raw,
  rsaKey,
  signJws,
  start,
  type FakeClock,
} from './helpers.js';
import { defer, serverFor } from '../fixtures.js';

const CH = { id: '1400000028', secret: 'd'.repeat(32) };
const key = rsaKey('dashboard');
const stranger = rsaKey('dashboard-stranger');

async function state(emu: Emulator, since = 0): Promise<DashboardState> {
  const r = await raw(emu.url, {
    method: 'GET',
    path: `/__emulator/dashboard/state?since=${since}`,
  });
  assert.equal(r.status, 200);
  return r.json as DashboardState;
}

const shortLived = (emu: Emulator) =>
  postForm(emu.url, '/v2/oauth/accessToken', {
    grant_type: 'client_credentials',
    client_id: CH.id,
    client_secret: CH.secret,
  });

describe('emulator dashboard data', () => {
  let emu: Emulator;
  let clock: FakeClock;
  let kid: string;
  const issued: string[] = [];
  const v21 = (signer = key, tokenExp = 3600) =>
    postForm(emu.url, '/oauth2/v2.1/token', {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: signJws(
        header(kid),
        claims(CH.id, clock.sec, { token_exp: tokenExp }),
        signer.privateKey,
      ),
    });

  before(async () => {
    ({ emu, clock } = await start({ channels: [CH] }));
    ({ kid } = await emu.admin.registerKey(CH.id, key.publicJwk));
  });
  after(() => emu.close());

  test('dates issue, refresh, revoke and expiry of v2.1 tokens on the virtual clock', async () => {
    const from = (await state(emu)).seq;
    const first = (await v21()).json as { access_token: string; key_id: string };
    clock.advance(60);
    const second = (await v21()).json as { access_token: string };
    issued.push(first.access_token, second.access_token);
    const gauge = (await state(emu)).channels[0]!.v21;
    assert.deepEqual(
      gauge.map((s) => s.state),
      ['superseded', 'live'],
      'the older of two live tokens is shown as superseded',
    );
    const revoked = await postForm(emu.url, '/oauth2/v2.1/revoke', {
      client_id: CH.id,
      client_secret: CH.secret,
      access_token: first.access_token,
    });
    assert.equal(revoked.status, 200);
    clock.advance(3600); // the second one expires at issue + 3600 s
    const s = await state(emu, from);
    const events = s.tokenEvents.filter((e) => e.family === 'v2.1');
    assert.deepEqual(
      events.map((e) => [e.kind, e.at]),
      [
        ['issue', clock.ms - 3660_000],
        ['refresh', clock.ms - 3600_000],
        ['revoke', clock.ms - 3600_000],
        ['expire', clock.ms],
      ],
    );
    assert.equal(events[0]!.keyId, first.key_id);
    assert.equal(s.channels[0]!.v21.length, 0, 'the gauge is empty again');
  });

  test('shows the eviction of the oldest short-lived token by the 31st', async () => {
    const from = (await state(emu)).seq;
    for (let i = 0; i < 31; i++) {
      const r = await shortLived(emu);
      assert.equal(r.status, 200);
      issued.push((r.json as { access_token: string }).access_token);
    }
    const s = await state(emu, from);
    const kinds = s.tokenEvents.map((e) => e.kind);
    assert.deepEqual(kinds.slice(0, 2), ['issue', 'refresh']);
    assert.equal(kinds.filter((k) => k === 'evict').length, 1);
    assert.equal(s.channels[0]!.shortLived, 30);
  });

  test('logs each refusal with LINE text and the rule that produced it', async () => {
    const from = (await state(emu)).seq;
    assert.equal((await v21(stranger)).status, 400);
    const wrongSecret = await postForm(emu.url, '/v2/oauth/accessToken', {
      grant_type: 'client_credentials',
      client_id: CH.id,
      client_secret: 'x'.repeat(32),
    });
    assert.equal(wrongSecret.status, 400);
    await emu.admin.setFaults({
      operations: { verify: { sequence: [{ type: 'status', status: 503 }] } },
    });
    await postForm(emu.url, '/v2/oauth/verify', { access_token: 'abc' });
    await emu.admin.setFaults({});
    const { requests } = await state(emu, from);
    assert.deepEqual(
      requests.map((r) => [r.operation, r.status, r.channelId, r.error, r.rule]),
      [
        ['issueV21', 400, CH.id, 'invalid_client: Invalid signature', 'assertion.signature'],
        [
          'issueShortLived',
          400,
          CH.id,
          'invalid_client: invalid client_secret',
          'channel.wrong-secret',
        ],
        ['verify', 503, undefined, 'injected fault: status', 'fault.status'],
      ],
    );
  });

  test('holds no channel secret and no whole token, on the page or in its data', async () => {
    const page = await raw(emu.url, { method: 'GET', path: '/' });
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'] ?? '', /^text\/html/);
    assert.match(String(page.headers['content-security-policy']), /script-src 'sha256-/);
    const data = await raw(emu.url, { method: 'GET', path: '/__emulator/dashboard/state' });
    assert.ok(issued.length > 30);
    for (const text of [page.text, data.text]) {
      assert.ok(!text.includes(CH.secret), 'the channel secret');
      for (const token of issued) assert.ok(!text.includes(token), 'a whole token');
    }
  });

  test('puts the page and its routes behind the admin guard', async () => {
    for (const path of ['/', '/dashboard', '/__emulator/dashboard/state']) {
      const foreign = await raw(emu.url, {
        method: 'GET',
        path,
        headers: { origin: 'https://evil.example' },
      });
      assert.equal(foreign.status, 403, path);
      const rebound = await raw(emu.url, {
        method: 'GET',
        path,
        headers: { host: `evil.example:${new URL(emu.url).port}` },
      });
      assert.equal(rebound.status, 403, path);
    }
    const sent = await raw(emu.url, {
      method: 'POST',
      path: `/__emulator/channels/${CH.id}/messages/from-user`,
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
      body: '{"userId":"U1","text":"hi"}',
    });
    assert.equal(sent.status, 403);
  });

  test('logs the page but not its once-a-second poll', async () => {
    const lines: string[] = [];
    const { emu: logged } = await start({ log: (l) => lines.push(l) });
    try {
      await raw(logged.url, { method: 'GET', path: '/' });
      await raw(logged.url, { method: 'GET', path: '/__emulator/dashboard/state' });
      await raw(logged.url, { method: 'GET', path: '/__emulator/stats' });
    } finally {
      await logged.close();
    }
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
      ['GET / 200', 'GET /__emulator/stats 200'],
    );
  });

  test("sends a user message from the chat box to the bot's webhook, signed with the channel secret", async (t) => {
    const seen: Array<{ body: string; signature: string | undefined }> = [];
    const bot = await serverFor(t, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          body: Buffer.concat(chunks).toString(),
          signature: req.headers['x-line-signature'] as string,
        });
        res.end('ok');
      });
    });
    // Registered after the bot, so it runs first: the emulator stops calling before it closes.
    defer(t, () => emu.admin.setWebhook(CH.id, null));
    await emu.admin.setWebhook(CH.id, `${bot.url}/webhook`);
    const userId = `U${'ab'.repeat(16)}`;
    const r = await raw(emu.url, {
      method: 'POST',
      path: `/__emulator/channels/${CH.id}/messages/from-user`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, text: 'hi from the page' }),
    });
    assert.equal(r.status, 200);
    assert.equal(seen.length, 1);
    const expected = createHmac('sha256', CH.secret).update(seen[0]!.body).digest('base64');
    assert.equal(seen[0]!.signature, expected, 'signed with the channel secret');
    const body = JSON.parse(seen[0]!.body) as {
      events: Array<{ message: { text: string }; source: { userId: string } }>;
    };
    assert.equal(body.events[0]!.message.text, 'hi from the page');
    assert.equal(body.events[0]!.source.userId, userId);
    assert.ok(!JSON.stringify(r.json).includes(CH.secret));
  });
});
