// The Messaging API stand-in over raw HTTP: every route checks the bearer against the
// emulator's own tokens of every family, answers a live one as LINE shapes it and anything
// else with LINE's exact 401; bodies are checked only as far as LINE documents; stats count
// calls per family and outcome; the admin API lists what each channel received.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
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
  type RawAnswer,
} from './helpers.js';

const CH = { id: '1300000001', secret: 'm'.repeat(32) };
const OTHER = { id: '1300000002', secret: 'n'.repeat(32) };
const INVALID_TOKEN = {
  message:
    'Authentication failed due to the following reason: invalid token. Confirm that the access token in the authorization header is valid.',
};
const key = rsaKey('messaging');
let emu: Emulator;
let clock: FakeClock;

const tokenOf = (r: { json: unknown }) => (r.json as { access_token: string }).access_token;
async function tokens(): Promise<
  Record<'v2.1' | 'short-lived' | 'stateless' | 'long-lived', string>
> {
  const { kid } = await emu.admin.registerKey(CH.id, key.publicJwk);
  const v21 = await postForm(emu.url, '/oauth2/v2.1/token', {
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: signJws(header(kid), claims(CH.id, clock.sec), key.privateKey),
  });
  const creds = { grant_type: 'client_credentials', client_id: CH.id, client_secret: CH.secret };
  return {
    'v2.1': tokenOf(v21),
    'short-lived': tokenOf(await postForm(emu.url, '/v2/oauth/accessToken', creds)),
    stateless: tokenOf(await postForm(emu.url, '/oauth2/v3/token', creds)),
    'long-lived': (await emu.admin.issueLongLived(CH.id)).accessToken,
  };
}

const push = (
  token: string | undefined,
  body: unknown = hello,
  extra: Record<string, string> = {},
) =>
  raw(emu.url, {
    method: 'POST',
    path: '/v2/bot/message/push',
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      ...extra,
    },
    body: JSON.stringify(body),
  });
const hello = {
  to: 'U0123456789abcdef0123456789abcdef',
  messages: [{ type: 'text', text: 'Hello' }],
};

function assertUnauthorized(r: RawAnswer): void {
  assert.equal(r.status, 401, r.text);
  assert.deepEqual(r.json, INVALID_TOKEN);
  assert.equal(r.headers['content-type'], 'application/json');
  assert.ok(r.headers['x-line-request-id']);
}

describe('Messaging API stand-in', () => {
  before(async () => {
    ({ emu, clock } = await start({ channels: [CH, OTHER] }));
  });
  beforeEach(() => emu.admin.reset());
  after(() => emu.close());

  test('a live token of every family is accepted on all four routes', async () => {
    const all = await tokens();
    for (const [family, token] of Object.entries(all)) {
      const auth = { authorization: `Bearer ${token}` };
      const info = await raw(emu.url, { method: 'GET', path: '/v2/bot/info', headers: auth });
      assert.equal(info.status, 200, `${family}: ${info.text}`);
      const bot = info.json as Record<string, unknown>;
      assert.match(String(bot['userId']), /^U[0-9a-f]{32}$/);
      assert.equal(bot['chatMode'], 'bot');
      const pushed = await push(token, {
        ...hello,
        messages: [
          { type: 'text', text: `push by ${family}` },
          { type: 'sticker', packageId: '446', stickerId: '1988' },
        ],
      });
      assert.equal(pushed.status, 200, `${family}: ${pushed.text}`);
      const sent = (pushed.json as { sentMessages: Array<{ id: string; quoteToken: string }> })
        .sentMessages;
      assert.equal(sent.length, 2);
      for (const m of sent) {
        assert.match(m.id, /^\d+$/);
        assert.ok(m.quoteToken.length > 0);
      }
      const replied = await raw(emu.url, {
        method: 'POST',
        path: '/v2/bot/message/reply',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          replyToken: (await emu.admin.sendMessage(CH.id, { text: 'hi bot' })).event['replyToken'],
          messages: [{ type: 'text', text: 'hi' }],
        }),
      });
      assert.equal(replied.status, 200, replied.text);
      const broadcast = await raw(emu.url, {
        method: 'POST',
        path: '/v2/bot/message/broadcast',
        headers: { ...auth, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ messages: [{ type: 'text', text: 'all' }] }),
      });
      assert.equal(broadcast.status, 200, broadcast.text);
      assert.deepEqual(broadcast.json, {});
    }
    const stats = await emu.admin.stats();
    for (const family of Object.keys(all)) {
      assert.deepEqual(stats.messagingApi?.[family as 'v2.1'], { ok: 4 }, family);
    }
  });

  test("missing, malformed, unknown, expired and revoked tokens get LINE's 401, counted by family", async () => {
    const all = await tokens();
    assertUnauthorized(await push(undefined));
    assertUnauthorized(await push(undefined, hello, { authorization: `Basic ${all['v2.1']}` }));
    assertUnauthorized(await push('A'.repeat(172)));
    assertUnauthorized(await push(`${all['v2.1']}x`));
    // Revoked: the v2.1 token by its channel, the short-lived one by v2 revoke.
    await postForm(emu.url, '/oauth2/v2.1/revoke', {
      client_id: CH.id,
      client_secret: CH.secret,
      access_token: all['v2.1'],
    });
    await postForm(emu.url, '/v2/oauth/revoke', { access_token: all['short-lived'] });
    assertUnauthorized(await push(all['v2.1']));
    assertUnauthorized(await push(all['short-lived']));
    // A reissued long-lived token disables the old one.
    await emu.admin.issueLongLived(CH.id);
    assertUnauthorized(await push(all['long-lived']));
    // Expired: the stateless token after its 900 s.
    assert.equal((await push(all.stateless)).status, 200);
    clock.advance(900);
    assertUnauthorized(await push(all.stateless));
    const info = await raw(emu.url, { method: 'GET', path: '/v2/bot/info' });
    assertUnauthorized(info);
    assert.deepEqual((await emu.admin.stats()).messagingApi, {
      none: { unauthorized: 3 },
      unknown: { unauthorized: 2 },
      'v2.1': { unauthorized: 1 },
      'short-lived': { unauthorized: 1 },
      'long-lived': { unauthorized: 1 },
      stateless: { ok: 1, unauthorized: 1 },
    });
    const [only, ...rest] = await emu.admin.listMessages(CH.id);
    assert.deepEqual(rest, []);
    assert.match(String(only?.requestId), /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      { ...only, requestId: 'x' },
      {
        endpoint: 'push',
        tokenFamily: 'stateless',
        to: hello.to,
        messages: hello.messages,
        // Not a friend of the bot: accepted, as LINE accepts it, and reaching no one.
        deliveredTo: [],
        requestId: 'x',
        receivedAt: clock.ms - 900_000,
      },
    );
  });

  test('checks the body as LINE does: a to (or replyToken), 1 to 5 message objects of known types', async () => {
    const token = (await tokens())['short-lived'];
    const details = (r: RawAnswer) => {
      assert.equal(r.status, 400, r.text);
      return (r.json as { details?: Array<{ property: string }> }).details?.[0]?.property;
    };
    assert.equal(details(await push(token, { messages: hello.messages })), 'to');
    assert.equal(details(await push(token, { to: hello.to })), 'messages');
    assert.equal(details(await push(token, { to: hello.to, messages: [] })), 'messages');
    const six = Array.from({ length: 6 }, (_, i) => ({ type: 'text', text: String(i) }));
    assert.equal(details(await push(token, { to: hello.to, messages: six })), 'messages');
    assert.equal(details(await push(token, { to: hello.to, messages: ['x'] })), 'messages[0]');
    const five = six.slice(0, 5);
    assert.equal((await push(token, { to: hello.to, messages: five })).status, 200);
    // An unknown message type is refused; an extra member passes, as LINE ignores it.
    assert.equal(
      details(await push(token, { to: hello.to, messages: [{ type: 'nonsense' }] })),
      'messages[0].type',
    );
    assert.equal((await push(token, { ...hello, extra: 1 })).status, 200);
    const notJson = await raw(emu.url, {
      method: 'POST',
      path: '/v2/bot/message/push',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(notJson.status, 400);
    const form = await raw(emu.url, {
      method: 'POST',
      path: '/v2/bot/message/push',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'to=x',
    });
    assert.equal(form.status, 415);
    const wrongMethod = await raw(emu.url, {
      method: 'GET',
      path: '/v2/bot/message/push',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers['allow'], 'POST');
    assert.deepEqual((await emu.admin.stats()).messagingApi, {
      'short-lived': { 'bad-request': 8, ok: 2 },
    });
  });

  test('the admin API lists what each channel received, in order, with the retry key; reset clears it', async () => {
    const token = (await tokens())['v2.1'];
    await push(token, { ...hello, messages: [{ type: 'text', text: 'one' }] });
    await push(
      token,
      { ...hello, messages: [{ type: 'text', text: 'two' }] },
      {
        'x-line-retry-key': '123e4567-e89b-12d3-a456-426614174000',
      },
    );
    const listed = await raw(emu.url, {
      method: 'GET',
      path: `/__emulator/channels/${CH.id}/messages`,
    });
    assert.equal(listed.status, 200);
    const messages = (listed.json as { messages: Array<Record<string, unknown>> }).messages;
    assert.deepEqual(
      messages.map((m) => [m['endpoint'], m['tokenFamily'], m['retryKey'], m['messages']]),
      [
        ['push', 'v2.1', undefined, [{ type: 'text', text: 'one' }]],
        ['push', 'v2.1', '123e4567-e89b-12d3-a456-426614174000', [{ type: 'text', text: 'two' }]],
      ],
    );
    assert.deepEqual(await emu.admin.listMessages(OTHER.id), [], "another channel's list");
    await assert.rejects(emu.admin.listMessages('1399999999'), { argument: 'channelId' });
    await emu.admin.reset();
    assert.deepEqual(await emu.admin.listMessages(CH.id), []);
    assert.equal((await emu.admin.stats()).messagingApi, undefined);
  });
});
