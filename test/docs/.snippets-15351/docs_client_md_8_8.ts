import { ChannelAccessTokenClient, signAssertion } from 'line-token';

const client = new ChannelAccessTokenClient(); // https://api.line.me, 10 s timeout, safe retries

// v2.1: sign an assertion with the key registered in the Console, then issue.
const assertion = await signAssertion({ channelId, kid, privateKey, tokenExpSec: 86_400 });
const { accessToken, keyId, expiresAt } = await client.issueV21({ assertion });

// Stateless (15 minutes, no limit), by secret or by assertion.
const stateless = await client.issueStateless({ channelId, channelSecret });
export {};
