// A multi-channel webhook handler's three steps: find the channel of the webhook's
// `destination` (learnt from the Messaging API's /v2/bot/info on the emulator), check the
// signature with that channel's secret, get its token. Bodies are signed here with
// node:crypto, independently of the code under test.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { verifyWebhookSignature } from '../../../src/index.js';
import { MemoryTokenStore } from '../../../src/manager/memory-store.js';
import { TokenManagerRegistry } from '../../../src/manager/registry.js';
import type { TokenStrategy } from '../../../src/manager/types.js';
import { startLine, type Line } from '../helpers/channel.js';
import { defer } from '../../fixtures.js';

let line: Line;
before(async () => {
  line = await startLine();
});
after(() => line.close());

const sign = (body: string, secret: string): string =>
  createHmac('sha256', secret).update(body).digest('base64');

async function botUserId(strategy: TokenStrategy): Promise<string> {
  const s = strategy as { channelId: string; channelSecret: string };
  const { accessToken } = await line.client.issueStateless(s);
  const res = await fetch(`${line.emu.url}/v2/bot/info`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return ((await res.json()) as { userId: string }).userId;
}

describe('webhooks for many channels', () => {
  test('forDestination finds each of 3 channels; a tampered body or wrong secret is refused', async (t) => {
    const chans = await Promise.all([1, 2, 3].map(() => line.channel('stateless-secret')));
    const byId = new Map(chans.map((c) => [c.id, c]));
    const store = new MemoryTokenStore();
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url }, store },
      credentials: (id) => byId.get(id)!.strategy,
      messagingBaseUrl: line.emu.url,
    });
    defer(t, () => registry.close());
    for (const c of chans) await registry.getToken(c.id); // the channels in memory
    for (const c of chans) {
      const destination = await botUserId(c.strategy);
      const body = JSON.stringify({ destination, events: [] });
      const signature = sign(body, c.secret);

      const channelId = await registry.forDestination(destination);
      assert.equal(channelId, c.id);
      const secret = byId.get(channelId)!.secret;
      assert.equal(await verifyWebhookSignature(body, signature, secret), true);
      assert.equal(
        await verifyWebhookSignature(new TextEncoder().encode(body), signature, secret),
        true,
        'bytes as received verify too',
      );
      assert.equal(
        await verifyWebhookSignature(body.replace('[]', '[{}]'), signature, secret),
        false,
      );
      const other = chans.find((o) => o !== c)!;
      assert.equal(await verifyWebhookSignature(body, signature, other.secret), false);
      assert.equal(await verifyWebhookSignature(body, 'not base64!', secret), false);
      assert.ok(await c.accepts(await registry.getToken(channelId)));
    }
    assert.equal(await registry.forDestination('Uffffffffffffffffffffffffffffffff'), undefined);

    // Another registry on the same store finds a mapping without asking LINE again.
    const fresh = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url }, store },
      credentials: (id) => byId.get(id)!.strategy,
      messagingBaseUrl: 'http://127.0.0.1:1',
    });
    const destination = await botUserId(chans[1]!.strategy);
    assert.equal(await fresh.forDestination(destination), chans[1]!.id);
    await fresh.close();
  });
});
