// When a permanent refusal stops the manager, its error carries diagnose()'s likely cause and fix,
// so the person reading it knows what to change, naming the kid and channel, not only LINE's terse
// text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateKeyPair } from '../../src/assertion/index.js';
import { ChannelAccessTokenClient } from '../../src/client/client.js';
import { TokenUnavailableError } from '../../src/errors.js';
import { TokenManager } from '../../src/manager/manager.js';
import { closeAfter, emulatorFor, type Scope } from '../fixtures.js';

async function refusal(t: Scope, kind: 'unregistered kid' | 'kid of another channel') {
  const emu = await emulatorFor(t, { rateLimit: false });
  const { id: channelId } = await emu.admin.createChannel();
  const { id: otherChannel } = await emu.admin.createChannel();
  const { privateJwk, publicJwk } = await generateKeyPair();
  const kid =
    kind === 'unregistered kid'
      ? '00000000-0000-4000-8000-000000000000'
      : (await emu.admin.registerKey(otherChannel, publicJwk)).kid;
  const manager = closeAfter(
    t,
    new TokenManager({
      strategy: { type: 'v2.1', channelId, kid, privateKey: privateJwk, tokenExpSec: 3600 },
      client: new ChannelAccessTokenClient({ baseUrl: emu.url, retry: false }),
    }),
  );
  const err = await manager.getToken().then(
    () => assert.fail('LINE refuses this assertion'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TokenUnavailableError);
  return { err, kid, channelId };
}

test('an unregistered kid: the hint says the kid is registered nowhere and how to register it', async (t) => {
  const { err, kid } = await refusal(t, 'unregistered kid');
  assert.equal(err.permanent, true);
  assert.match(err.hint ?? '', new RegExp(`kid ${kid} is not registered on any channel: register`));
});

test("another channel's kid: the hint names both the kid and the channel it was used for", async (t) => {
  const { err, kid, channelId } = await refusal(t, 'kid of another channel');
  assert.match(
    err.hint ?? '',
    new RegExp(`kid ${kid} is registered on another channel than channel ${channelId}`),
  );
});
