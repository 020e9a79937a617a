// @line/bot-sdk's MessagingApiClient against the emulator's send routes: LINE's validation
// (types, text length in UTF-16 units, 1-5 messages, `to`, 2 MB then 413, nesting), retry
// keys (409 with the accepted request id, 24 h on the virtual clock, 400 on reply) and the
// retry recipe after an answer lost by a fault. Each refusal is read through the SDK's own
// HTTPFetchError, as a bot would see it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { messagingApi } from '@line/bot-sdk';
import { raw } from './helpers.js';
import { refusal, sdkWorld, USER, type SdkWorld } from './local-line-sdk.js';

const KEY = '123e4567-e89b-12d3-a456-426614174000';
const text = (t: string): messagingApi.TextMessage => ({ type: 'text', text: t });
let w: SdkWorld;

describe("the emulator's Messaging API validates sends as LINE does", () => {
  before(async () => {
    w = await sdkWorld();
  });
  beforeEach(async () => {
    await w.emu.admin.setFaults({});
    await w.emu.admin.addFriend(w.channelId, { userId: USER });
  });
  after(() => w.emu.close());

  test('counts text in UTF-16 units: 5,000 pass, 5,001 characters and 2,501 emoji are refused', async () => {
    const ok = await w.line.pushMessage({ to: USER, messages: [text('a'.repeat(5000))] });
    assert.equal(ok.sentMessages.length, 1);
    for (const long of ['a'.repeat(5001), '😀'.repeat(2501)]) {
      const r = await refusal(w.line.pushMessage({ to: USER, messages: [text(long)] }));
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, {
        message: 'The request body has 1 error(s)',
        details: [{ message: 'Length must be between 0 and 5000', property: 'messages[0].text' }],
      });
    }
  });

  test('refuses an empty text, an unknown type, 0 or 6 messages, all errors at once', async () => {
    const bad = await refusal(
      w.line.pushMessage({
        to: USER,
        messages: [text(''), { type: 'nonsense' } as unknown as messagingApi.Message],
      }),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'The request body has 2 error(s)');
    assert.deepEqual(
      bad.body.details?.map((d) => d.property),
      ['messages[0].text', 'messages[1].type'],
    );
    for (const messages of [[], Array.from({ length: 6 }, () => text('x'))]) {
      const r = await refusal(w.line.pushMessage({ to: USER, messages }));
      assert.deepEqual(r.body.details, [
        { message: 'Size must be between 1 and 5', property: 'messages' },
      ]);
    }
    const quiet = await refusal(
      w.line.pushMessage({
        to: USER,
        messages: [text('x')],
        notificationDisabled: 'yes' as unknown as boolean,
      }),
    );
    assert.equal(quiet.body.details?.[0]?.property, 'notificationDisabled');
    assert.deepEqual(await w.emu.admin.listMessages(w.channelId).then((l) => l.length), 1);
  });

  test("refuses a `to` that is no user, group or room ID with LINE's property message", async () => {
    for (const to of ['someone', `U${'0'.repeat(31)}`, `X${'0'.repeat(32)}`]) {
      const r = await refusal(w.line.pushMessage({ to, messages: [text('x')] }));
      assert.equal(r.status, 400);
      assert.deepEqual(r.body, {
        message: "The property, 'to', in the request body is invalid (line: -, column: -)",
      });
    }
    const group = await w.line.pushMessage({ to: `C${'a'.repeat(32)}`, messages: [text('x')] });
    assert.equal(group.sentMessages.length, 1);
  });

  test('takes an 81 KB five-Flex push, answers 413 past 2 MB', async () => {
    const bubble = (i: number): messagingApi.FlexMessage => ({
      type: 'flex',
      altText: `card ${i}`,
      contents: {
        type: 'bubble',
        body: {
          type: 'box',
          layout: 'vertical',
          contents: [{ type: 'text', text: 'x'.repeat(16_000) }],
        },
      },
    });
    const five = [0, 1, 2, 3, 4].map(bubble);
    assert.ok(JSON.stringify({ to: USER, messages: five }).length > 80_000);
    const ok = await w.line.pushMessage({ to: USER, messages: five });
    assert.equal(ok.sentMessages.length, 5);
    const huge = [0, 1, 2, 3, 4].map((i) => ({ ...bubble(i), altText: 'y'.repeat(450_000) }));
    const r = await refusal(w.line.pushMessage({ to: USER, messages: huge }));
    assert.equal(r.status, 413);
  });

  test('refuses deep nesting with a 400, never a 500, and the admin list still answers', async () => {
    for (const depth of [100, 2_000, 5_000]) {
      const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const r = await raw(w.emu.url, {
        method: 'POST',
        path: '/v2/bot/message/push',
        headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' },
        body: `{"to":"${USER}","messages":[{"type":"text","text":"x","extra":${nested}}]}`,
      });
      assert.equal(r.status, 400, r.text);
      assert.match(r.text, /The request body has 1 error\(s\)/);
    }
    const listed = await raw(w.emu.url, {
      method: 'GET',
      path: `/__emulator/channels/${w.channelId}/messages`,
    });
    assert.equal(listed.status, 200);
    const deepAdmin = await raw(w.emu.url, {
      method: 'POST',
      path: `/__emulator/channels/${w.channelId}/friends`,
      headers: { 'content-type': 'application/json' },
      body: `{"displayName":${'['.repeat(5_000)}${']'.repeat(5_000)}}`,
    });
    assert.equal(deepAdmin.status, 400, deepAdmin.text);
  });
});

describe('retry keys, as LINE documents them, on the virtual clock', () => {
  before(async () => {
    w = await sdkWorld();
  });
  beforeEach(async () => {
    await w.emu.admin.reset();
    const { id } = await w.emu.admin.createChannel({ id: w.channelId, secret: w.secret });
    const { accessToken } = await w.emu.admin.issueLongLived(id);
    w.token = accessToken;
    w.line = new messagingApi.MessagingApiClient({
      channelAccessToken: accessToken,
      baseURL: w.emu.url,
    });
    await w.emu.admin.addFriend(w.channelId, { userId: USER });
  });
  after(() => w.emu.close());

  test('a repeated key gets 409 with the accepted request id; a push repeats its sentMessages', async () => {
    const first = await w.line.pushMessageWithHttpInfo({ to: USER, messages: [text('once')] }, KEY);
    const requestId = first.httpResponse.headers.get('x-line-request-id');
    const again = await refusal(w.line.pushMessage({ to: USER, messages: [text('once')] }, KEY));
    assert.equal(again.status, 409);
    assert.equal(again.headers.get('x-line-accepted-request-id'), requestId);
    assert.deepEqual(again.body, {
      message: 'The retry key is already accepted',
      sentMessages: first.body.sentMessages,
    });
    const b1 = await w.line.broadcast({ messages: [text('all')] }, KEY.replace('1', '2'));
    assert.deepEqual(b1, {});
    const b2 = await refusal(w.line.broadcast({ messages: [text('all')] }, KEY.replace('1', '2')));
    assert.deepEqual([b2.status, b2.body], [409, { message: 'The retry key is already accepted' }]);
    assert.equal((await w.emu.admin.listMessages(w.channelId)).length, 2, 'each sent once');
  });

  test('the key lives 24 hours of the virtual clock; then the same key sends again', async () => {
    await w.line.pushMessage({ to: USER, messages: [text('day one')] }, KEY);
    w.clock.advance(24 * 3600 - 1);
    assert.equal(
      (await refusal(w.line.pushMessage({ to: USER, messages: [text('x')] }, KEY))).status,
      409,
    );
    w.clock.advance(1);
    const later = await w.line.pushMessage({ to: USER, messages: [text('day two')] }, KEY);
    assert.equal(later.sentMessages.length, 1);
  });

  test('a key on reply or a key that is not a UUID is a 400', async () => {
    const { event } = await w.emu.admin.sendMessage(w.channelId, { text: 'hi', userId: USER });
    const replyToken = event['replyToken'] as string;
    // The SDK takes no retry key on reply: the header is sent by hand.
    const r = await raw(w.emu.url, {
      method: 'POST',
      path: '/v2/bot/message/reply',
      headers: {
        authorization: `Bearer ${w.token}`,
        'content-type': 'application/json',
        'x-line-retry-key': KEY,
      },
      body: JSON.stringify({ replyToken, messages: [text('x')] }),
    });
    assert.equal(r.status, 400, r.text);
    // Refused before the token was looked at: it still replies once.
    assert.equal(
      (await w.line.replyMessage({ replyToken, messages: [text('x')] })).sentMessages.length,
      1,
    );
    const bad = await refusal(
      w.line.pushMessage({ to: USER, messages: [text('x')] }, 'not-a-uuid'),
    );
    assert.equal(bad.status, 400);
  });

  test('the retry recipe: the answer is lost, the same key is retried, 409 means it was sent', async () => {
    await w.emu.admin.setFaults({ operations: { push: { sequence: [{ type: 'lost-answer' }] } } });
    const send = () => w.line.pushMessage({ to: USER, messages: [text('exactly once')] }, KEY);
    await assert.rejects(send(), 'the client sees no answer');
    let sent = false;
    try {
      await send();
      sent = true;
    } catch (err) {
      const r = await refusal(Promise.reject(err));
      if (r.status === 409) sent = true; // LINE's recipe: already accepted, treat as sent
    }
    assert.ok(sent);
    const log = await w.emu.admin.listMessages(w.channelId);
    assert.deepEqual(
      log.map((m) => m.messages),
      [[text('exactly once')]],
      'delivered once',
    );
  });

  test('a fault named for one endpoint hits it alone; unknown endpoint names are refused', async () => {
    await w.emu.admin.setFaults({
      operations: { broadcast: { sequence: [{ type: 'lost-answer', status: 502 }] } },
    });
    assert.equal(
      (await w.line.pushMessage({ to: USER, messages: [text('p')] })).sentMessages.length,
      1,
    );
    const lost = await refusal(w.line.broadcast({ messages: [text('b')] }));
    assert.equal(lost.status, 502);
    const log = await w.emu.admin.listMessages(w.channelId);
    assert.deepEqual(
      log.map((m) => m.endpoint),
      ['push', 'broadcast'],
      'the broadcast ran',
    );
    await assert.rejects(
      w.emu.admin.setFaults({ operations: { pushh: {} } as never }),
      /did you mean "operations.push"/,
    );
  });

  test('a global fault reaches Messaging routes: a 503 on push, then the next push goes through', async () => {
    await w.emu.admin.setFaults({
      global: { sequence: [{ type: 'status', status: 503 }] },
    });
    const r = await refusal(w.line.pushMessage({ to: USER, messages: [text('x')] }));
    assert.equal(r.status, 503);
    assert.equal(
      (await w.line.pushMessage({ to: USER, messages: [text('x')] })).sentMessages.length,
      1,
    );
  });
});
