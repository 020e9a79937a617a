// @line/bot-sdk's MessagingApiClient against the emulator's Messaging API stand-in, through
// managedClient: a push, the token revoked out of band, the next push refused with 401, the
// token handed back to the manager, the push retried once and delivered. Nothing here is a
// hand-written server: the SDK talks to the same emulator that issued the token.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { managedClient } from '../../src/manager/managed-client.js';
import { startBot, type RevocableStrategy } from './messaging-fixture.js';
import { closeAfter } from '../fixtures.js';

const to = 'U0123456789abcdef0123456789abcdef';
const text = (t: string) => ({ to, messages: [{ type: 'text' as const, text: t }] });

describe('@line/bot-sdk MessagingApiClient through managedClient, against the emulator', () => {
  for (const type of ['v2.1', 'short-lived'] as RevocableStrategy[]) {
    test(`${type}: a revoked token gets 401, goes back to the manager, and the push is retried once`, async (t) => {
      const bot = closeAfter(t, await startBot(type));
      const built: string[] = [];
      const line = managedClient(bot.manager, {
        create: (channelAccessToken) => {
          built.push(channelAccessToken);
          return new messagingApi.MessagingApiClient({
            channelAccessToken,
            baseURL: bot.emu.url,
          });
        },
      });
      const first = await line.call((c) => c.pushMessage(text('first')));
      assert.equal(first.sentMessages.length, 1);
      const old = await bot.manager.getToken();
      await bot.revokeOutOfBand(old);

      // The SDK's own client on the revoked token is refused as LINE refuses it.
      const direct = new messagingApi.MessagingApiClient({
        channelAccessToken: old,
        baseURL: bot.emu.url,
      });
      await assert.rejects(direct.pushMessage(text('never sent')), (err: unknown) => {
        assert.ok(err instanceof HTTPFetchError);
        assert.equal(err.status, 401);
        assert.match(err.body, /Authentication failed due to the following reason: invalid token/);
        return true;
      });

      const second = await line.call((c) => c.pushMessage(text('second')));
      assert.equal(second.sentMessages.length, 1);
      const fresh = await bot.manager.getToken();
      assert.notEqual(fresh, old);
      assert.deepEqual(built, [old, fresh], 'one SDK client per token, rebuilt once');
      assert.equal(bot.manager.status().counts.invalidations, 1);

      await bot.assertPushedTexts(to, ['first', 'second']);
      // ok: first and the retry; unauthorized: the direct push and managedClient's first try.
      assert.deepEqual((await bot.emu.admin.stats()).messagingApi, {
        [type]: { ok: 2, unauthorized: 2 },
      });
    });
  }

  test('getBotInfo answers with the managed token', async (t) => {
    const bot = closeAfter(t, await startBot('v2.1'));
    const line = managedClient(bot.manager, {
      create: (channelAccessToken) =>
        new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: bot.emu.url }),
    });
    const info = await line.call((c) => c.getBotInfo());
    assert.match(info.userId, /^U[0-9a-f]{32}$/);
    assert.equal(info.chatMode, 'bot');
  });
});
