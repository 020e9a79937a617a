import { ChannelAccessTokenClient } from 'line-token';
const client = new ChannelAccessTokenClient();

// After: the constants are filled in; results are typed and camelCase.
const shortLived = await client.issueShortLived({ channelId, channelSecret });
await client.verify({ accessToken });
await client.revoke({ accessToken });
const v21 = await client.issueV21({ assertion });
await client.verifyV21({ accessToken });
await client.revokeV21({ channelId, channelSecret, accessToken });
const kids = await client.getValidKeyIds({ assertion });
const stateless = await client.issueStateless({ channelId, channelSecret }); // or { assertion }
console.log(shortLived.accessToken, v21.keyId, kids, stateless.expiresAt);
export {};
