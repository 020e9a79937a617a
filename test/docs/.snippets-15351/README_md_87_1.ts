import { ChannelAccessTokenClient, signAssertion } from 'line-token';

const client = new ChannelAccessTokenClient(); // https://api.line.me, 10 s timeout
const assertion = await signAssertion({ channelId, kid, privateKey, tokenExpSec: 86_400 });
const { accessToken, keyId, expiresAt } = await client.issueV21({ assertion });
export {};
