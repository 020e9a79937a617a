// End to end over real HTTP: the public JWK we derive is what the (emulated) Console
// registers, and the assertions we sign from each key form get tokens from the emulator,
// which verifies them with jose under LINE's rules.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  ChannelAccessTokenClient,
  createAssertionSigner,
  generateKeyPair,
  publicJwkForConsole,
  signAssertion,
} from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { fixturePair, keyForms, SEED_001_JWK_TEXT } from './helpers.js';

let emu: Emulator;
let client: ChannelAccessTokenClient;

before(async () => {
  emu = await startEmulator({ rateLimit: false });
  client = new ChannelAccessTokenClient({ baseUrl: emu.url, retry: false });
});
after(() => emu.close());

async function registered(privateKey: unknown): Promise<{ channelId: string; kid: string }> {
  const { id: channelId } = await emu.admin.createChannel();
  const { kid } = await emu.admin.registerKey(
    channelId,
    await publicJwkForConsole(privateKey as object),
  );
  return { channelId, kid };
}

test('a generated pair: the Console JWK registers and its assertion issues a v2.1 token', async () => {
  const { privateJwk, publicJwk } = await generateKeyPair();
  const { id: channelId } = await emu.admin.createChannel();
  const { kid } = await emu.admin.registerKey(channelId, publicJwk);
  const assertion = await signAssertion({
    channelId,
    kid,
    privateKey: privateJwk,
    tokenExpSec: 3600,
  });
  const issued = await client.issueV21({ assertion });
  assert.equal(issued.expiresIn, 3600);
  const tokens = await emu.admin.listTokens(channelId);
  assert.deepEqual(
    tokens.map((t) => t.family),
    ['v2.1'],
  );
});

test('seed 001, PKCS#1 and PKCS#8 PEM keys each get a v2.1 token, list key ids and get a stateless token', async () => {
  const { pkcs1Pem, pkcs8Pem } = keyForms(fixturePair('b').privateKey);
  for (const privateKey of [SEED_001_JWK_TEXT, pkcs1Pem, pkcs8Pem]) {
    const { channelId, kid } = await registered(privateKey);
    const signer = createAssertionSigner({ channelId, kid, privateKey, tokenExpSec: 600 });
    const { keyId, expiresIn } = await client.issueV21({ assertion: await signer.sign() });
    assert.equal(expiresIn, 600);
    const kids = await client.getValidKeyIds({
      assertion: await signer.sign({ tokenExpSec: null }),
    });
    assert.deepEqual(kids, [keyId]);
    const stateless = await client.issueStateless({
      assertion: await signer.sign({ tokenExpSec: null }),
    });
    assert.equal(stateless.expiresIn, 900);
  }
});
