import { readFile, writeFile } from 'node:fs/promises';
import { ChannelAccessTokenClient, generateKeyPair, signAssertion } from 'line-token';

// 1. Once: make the pair, keep the private JWK secret, register the public one.
const { privateJwk, publicJwk } = await generateKeyPair();
await writeFile('key.json', JSON.stringify(privateJwk), { mode: 0o600 });
console.log(JSON.stringify(publicJwk, null, 2)); // paste into the Console, note the kid

// 2. Whenever you need a token: sign an assertion and issue.
const client = new ChannelAccessTokenClient();
const assertion = await signAssertion({
  channelId: '1573163733',
  kid: '1dab2f4f-b73f-47a3-b99d-1730e22b9544',
  privateKey: await readFile('key.json', 'utf8'), // JWK or PEM text, an object, a CryptoKey...
  tokenExpSec: 86_400, // the token's lifetime: 1..2592000 s (30 days); omitted = 30 days
});
const { accessToken, expiresAt, keyId } = await client.issueV21({ assertion });
export {};
