// authorizedFetch against the emulator's Messaging API stand-in: a push, the token revoked
// out of band, the next push refused with 401, the token handed back to the manager, the
// request sent once more with the new token and delivered; the admin API shows both pushes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authorizedFetch } from '../../src/manager/authorized-fetch.js';
import { startBot, type RevocableStrategy } from './messaging-fixture.js';
import { closeAfter } from '../fixtures.js';

const to = 'U0123456789abcdef0123456789abcdef';

describe('authorizedFetch against the emulator', () => {
  for (const type of ['v2.1', 'short-lived'] as RevocableStrategy[]) {
    test(`${type}: a revoked token gets 401, goes back to the manager, and the push is retried once`, async (t) => {
      const bot = closeAfter(t, await startBot(type));
      const seen: Array<[string | null, number]> = [];
      // Records what went over the wire: the bearer of each attempt and its answer.
      const recording: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        seen.push([new Headers(init?.headers).get('authorization'), res.status]);
        return res;
      };
      const lineFetch = authorizedFetch(bot.manager, { fetch: recording });
      const push = (t: string) =>
        lineFetch(`${bot.emu.url}/v2/bot/message/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ to, messages: [{ type: 'text', text: t }] }),
        });
      const first = await push('first');
      assert.equal(first.status, 200);
      const old = await bot.manager.getToken();
      await bot.revokeOutOfBand(old);

      const second = await push('second');
      assert.equal(second.status, 200);
      const body = (await second.json()) as { sentMessages: unknown[] };
      assert.equal(body.sentMessages.length, 1);
      const fresh = await bot.manager.getToken();
      assert.notEqual(fresh, old);
      assert.deepEqual(seen, [
        [`Bearer ${old}`, 200],
        [`Bearer ${old}`, 401],
        [`Bearer ${fresh}`, 200],
      ]);
      assert.equal(bot.manager.status().counts.invalidations, 1);
      await bot.assertPushedTexts(to, ['first', 'second']);
    });
  }
});
