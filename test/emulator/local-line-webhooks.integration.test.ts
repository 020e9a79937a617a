// Webhooks and reply tokens with @line/bot-sdk on both ends: the emulator plays a LINE user
// and POSTs signed events to a bot built on the SDK's own `middleware` (unchanged, with the
// channel secret); the bot replies with the SDK's MessagingApiClient. Reply tokens are
// single use, bound to their channel and expire after a minute of the virtual clock; the
// reply-then-push fallback a bot needs then works. Friends, profile, followers, multicast,
// the monthly quota and the 501 of routes the emulator does not emulate are read by the SDK.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { middleware, validateSignature, type webhook, type messagingApi } from '@line/bot-sdk';
import { InvalidArgumentError } from '../../src/errors.js';
import { createEmulatorAdmin, webhookSignature } from '../../src/emulator/index.js';
import { refusal, sdkWorld, USER, type SdkWorld } from './local-line-sdk.js';
import { defer } from '../fixtures.js';

const text = (t: string): messagingApi.TextMessage => ({ type: 'text', text: t });
let w: SdkWorld;

interface Bot {
  url: string;
  received: webhook.CallbackRequest[];
  /** What the bot does with each event (default: nothing). */
  onEvent: (event: webhook.Event) => Promise<void>;
  server: Server;
}

/** A bot on node:http with the SDK's middleware: 401 when the signature is refused. */
async function startBot(channelSecret: string): Promise<Bot> {
  const check = middleware({ channelSecret });
  const bot: Bot = { url: '', received: [], onEvent: async () => {}, server: createServer() };
  bot.server.on('request', (req, res) => {
    void check(req as Parameters<typeof check>[0], res, (err) => {
      if (err) return void res.writeHead(401).end();
      const body = (req as unknown as { body: webhook.CallbackRequest }).body;
      bot.received.push(body);
      Promise.all(body.events.map((e) => bot.onEvent(e))).then(
        () => res.writeHead(200).end(),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((resolve) => bot.server.listen(0, '127.0.0.1', resolve));
  bot.url = `http://127.0.0.1:${(bot.server.address() as AddressInfo).port}/webhook`;
  return bot;
}

describe('webhooks signed as LINE signs them, read by the SDK middleware', () => {
  let bot: Bot;
  before(async () => {
    w = await sdkWorld();
    bot = await startBot(w.secret);
  });
  beforeEach(async () => {
    bot.received.length = 0;
    bot.onEvent = async () => {};
    await w.emu.admin.setWebhook(w.channelId, bot.url);
  });
  after(async () => {
    await w.emu.close();
    bot.server.close();
  });

  test('a user message reaches the bot verified; the bot replies once with its reply token', async () => {
    bot.onEvent = async (e) => {
      if (e.type !== 'message' || e.message.type !== 'text') return;
      await w.line.replyMessage({
        replyToken: e.replyToken!,
        messages: [text(`echo ${e.message.text}`)],
      });
    };
    const delivery = await w.emu.admin.sendMessage(w.channelId, { userId: USER, text: 'hello' });
    assert.equal(delivery.status, 'delivered');
    assert.equal(delivery.httpStatus, 200);
    const [body] = bot.received;
    const info = await w.line.getBotInfo();
    assert.equal(body?.destination, info.userId);
    const event = body?.events[0] as webhook.MessageEvent;
    assert.equal(event.source?.type, 'user');
    assert.equal((event.source as webhook.UserSource).userId, USER);
    assert.deepEqual(event.deliveryContext, { isRedelivery: false });
    assert.match(event.webhookEventId, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.equal(event.mode, 'active');
    assert.equal((event.message as webhook.TextMessageContent).text, 'hello');
    const [reply] = await w.emu.admin.listMessages(w.channelId);
    assert.equal(reply?.endpoint, 'reply');
    assert.equal(reply?.replyToken, event.replyToken);
    assert.deepEqual(reply?.deliveredTo, [USER]);
    assert.deepEqual(reply?.messages, [text('echo hello')]);
    // Used once: a second reply with it is LINE's 400.
    const again = await refusal(
      w.line.replyMessage({ replyToken: event.replyToken!, messages: [text('x')] }),
    );
    assert.deepEqual([again.status, again.body], [400, { message: 'Invalid reply token' }]);
  });

  test('a bot with another secret refuses the signature: the delivery is failed, and redelivered', async (t) => {
    const impostor = await startBot('0'.repeat(32));
    defer(t, () => impostor.server.close());
    await w.emu.admin.setWebhook(w.channelId, impostor.url);
    const failed = await w.emu.admin.sendMessage(w.channelId, { userId: USER, text: 'hi' });
    assert.deepEqual([failed.status, failed.httpStatus], ['failed', 401]);
    assert.equal(impostor.received.length, 0);
    await w.emu.admin.setWebhook(w.channelId, bot.url);
    const again = await w.emu.admin.redeliver(w.channelId, failed.id);
    assert.deepEqual([again.status, again.redeliveryOf], ['delivered', failed.id]);
    const event = bot.received[0]?.events[0];
    assert.deepEqual(event?.deliveryContext, { isRedelivery: true });
    assert.equal(event?.webhookEventId, failed.event['webhookEventId']);
    const listed = await w.emu.admin.listDeliveries(w.channelId);
    assert.deepEqual(
      listed.slice(-2).map((d) => d.status),
      ['failed', 'delivered'],
    );
  });

  test('an unreachable webhook is a failed delivery, not a thrown error', async () => {
    await w.emu.admin.setWebhook(w.channelId, 'http://127.0.0.1:1/webhook');
    const d = await w.emu.admin.sendMessage(w.channelId, { userId: USER, text: 'anyone?' });
    assert.deepEqual([d.status, d.error], ['failed', 'connection failed']);
  });

  test('follow, postback and unfollow events; the profile and followers follow them', async () => {
    const user = 'U' + 'b'.repeat(32);
    await w.emu.admin.sendEvent(w.channelId, { type: 'follow', userId: user, displayName: 'Bea' });
    await w.emu.admin.sendEvent(w.channelId, { type: 'postback', userId: user, data: 'a=1' });
    assert.deepEqual(
      bot.received.map((b) => b.events[0]?.type),
      ['follow', 'postback'],
    );
    assert.equal((bot.received[1]?.events[0] as webhook.PostbackEvent).postback.data, 'a=1');
    const profile = await w.line.getProfile(user);
    assert.deepEqual([profile.userId, profile.displayName], [user, 'Bea']);
    assert.ok((await w.line.getFollowers()).userIds.includes(user));
    await w.emu.admin.sendEvent(w.channelId, { type: 'unfollow', userId: user });
    const unfollow = bot.received[2]?.events[0];
    assert.equal(unfollow?.type, 'unfollow');
    assert.equal(
      (unfollow as { replyToken?: string }).replyToken,
      undefined,
      'no reply to an unfollow',
    );
    const gone = await refusal(w.line.getProfile(user));
    assert.deepEqual([gone.status, gone.body], [404, { message: 'Not found' }]);
    // A push to a user who blocked the bot is accepted, as LINE accepts it, and reaches no one.
    await w.line.pushMessage({ to: user, messages: [text('still there?')] });
    const last = (await w.emu.admin.listMessages(w.channelId)).at(-1);
    assert.deepEqual(last?.deliveredTo, []);
  });
});

describe('webhookSignature', () => {
  test("signs as LINE signs, which the SDK's validateSignature accepts; bad arguments are refused", () => {
    const body = JSON.stringify({ destination: 'U0', events: [], note: 'ü 😀' });
    assert.ok(validateSignature(body, 'secret', webhookSignature('secret', body)));
    assert.ok(!validateSignature(body, 'other', webhookSignature('secret', body)));
    assert.throws(() => webhookSignature('', body), InvalidArgumentError);
    assert.throws(() => webhookSignature('secret', 42 as unknown as string), InvalidArgumentError);
  });
});

describe('reply tokens expire on the virtual clock; the bot falls back to push', () => {
  before(async () => {
    w = await sdkWorld();
  });
  after(() => w.emu.close());

  test('a token older than a minute is refused; the same text then goes by push', async () => {
    const { event } = await w.emu.admin.sendMessage(w.channelId, { userId: USER, text: 'slow' });
    w.clock.advance(61);
    const send = async (replyToken: string, userId: string) => {
      try {
        return await w.line.replyMessage({ replyToken, messages: [text('late answer')] });
      } catch (err) {
        const r = await refusal(Promise.reject(err));
        if (r.body.message !== 'Invalid reply token') throw err;
        return w.line.pushMessage({ to: userId, messages: [text('late answer')] });
      }
    };
    await send(event['replyToken'] as string, USER);
    const log = await w.emu.admin.listMessages(w.channelId);
    assert.deepEqual(
      log.map((m) => [m.endpoint, m.deliveredTo]),
      [['push', [USER]]],
    );
  });

  test("another channel's reply token is refused", async () => {
    const other = await w.emu.admin.createChannel();
    const { event } = await w.emu.admin.sendMessage(other.id, { text: 'to the other bot' });
    const r = await refusal(
      w.line.replyMessage({ replyToken: event['replyToken'] as string, messages: [text('x')] }),
    );
    assert.equal(r.status, 400);
  });
});

describe('multicast, quota and routes the emulator does not emulate', () => {
  before(async () => {
    w = await sdkWorld();
  });
  after(() => w.emu.close());

  test('multicast reaches the friends among its recipients and counts each against the quota', async () => {
    const friend = await w.emu.admin.addFriend(w.channelId, { displayName: 'Ann' });
    const stranger = 'U' + 'c'.repeat(32);
    assert.deepEqual(await w.line.getMessageQuota(), { type: 'none' });
    await w.emu.admin.setMessageQuota(w.channelId, 3);
    assert.deepEqual(await w.line.getMessageQuota(), { type: 'limited', value: 3 });
    await w.line.multicast({ to: [friend.userId, stranger], messages: [text('hi all')] });
    const [m] = await w.emu.admin.listMessages(w.channelId);
    assert.deepEqual(m?.deliveredTo, [friend.userId]);
    assert.deepEqual(await w.line.getMessageQuotaConsumption(), { totalUsage: 2 });
    await w.line.pushMessage({ to: friend.userId, messages: [text('third')] });
    const over = await refusal(
      w.line.pushMessage({ to: friend.userId, messages: [text('fourth')] }),
    );
    assert.deepEqual(
      [over.status, over.body],
      [429, { message: 'You have reached your monthly limit.' }],
    );
    // A new month of the virtual clock starts a new count.
    w.clock.advance(32 * 86_400);
    assert.deepEqual(await w.line.getMessageQuotaConsumption(), { totalUsage: 0 });
  });

  test('a route the emulator does not emulate answers a distinct 501, not LINE 404', async () => {
    const r = await refusal(w.line.getRichMenuList());
    assert.equal(r.status, 501);
    assert.match(r.body.message, /does not emulate this Messaging API endpoint/);
  });
});

describe('the same admin over HTTP (createEmulatorAdmin), as a dashboard or another process uses it', () => {
  let bot: Bot;
  before(async () => {
    w = await sdkWorld();
    bot = await startBot(w.secret);
  });
  after(async () => {
    await w.emu.close();
    bot.server.close();
  });

  test('webhook, events, deliveries, redelivery, friends and quota answer as in process', async () => {
    const admin = createEmulatorAdmin(w.emu.url);
    assert.deepEqual(await admin.setWebhook(w.channelId, bot.url), { url: bot.url });
    const d = await admin.sendMessage(w.channelId, { text: 'over http', displayName: 'Hal' });
    assert.equal(d.status, 'delivered');
    const f = await admin.sendEvent(w.channelId, { type: 'follow' });
    assert.equal(f.event['type'], 'follow');
    const r = await admin.redeliver(w.channelId, d.id);
    assert.equal(r.redeliveryOf, d.id);
    assert.deepEqual(
      (await admin.listDeliveries(w.channelId)).map((x) => x.id),
      [d.id, f.id, r.id],
    );
    const friend = await admin.addFriend(w.channelId, { userId: USER });
    assert.deepEqual(friend, {
      userId: USER,
      displayName: `User ${USER.slice(1, 7)}`,
      blocked: false,
    });
    assert.deepEqual(
      (await admin.listFriends(w.channelId)).map((x) => x.displayName).sort(),
      ['Hal', friend.displayName].sort(),
    );
    await admin.setMessageQuota(w.channelId, 10);
    assert.deepEqual(await w.line.getMessageQuota(), { type: 'limited', value: 10 });
    await assert.rejects(admin.sendMessage('1999999999', { text: 'x' }), InvalidArgumentError);
    await assert.rejects(admin.setWebhook(w.channelId, 'ftp://nope'), { argument: 'url' });
    await assert.rejects(admin.redeliver(w.channelId, 'nope'), { argument: 'deliveryId' });
    await assert.rejects(admin.sendEvent(w.channelId, { type: 'wave' } as never), {
      argument: 'type',
    });
    assert.deepEqual(await admin.setWebhook(w.channelId, null), { url: null });
    assert.equal((await admin.sendMessage(w.channelId, { text: 'x' })).status, 'no-webhook-url');
  });
});
