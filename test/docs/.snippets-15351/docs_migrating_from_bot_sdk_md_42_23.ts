import { channelAccessToken } from '@line/bot-sdk';
const sdk = new channelAccessToken.ChannelAccessTokenClient({});
const jwtBearer = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

// Before: grant types and assertion types are yours to pass.
const shortLived = await sdk.issueChannelToken('client_credentials', channelId, channelSecret);
await sdk.verifyChannelToken(accessToken);
await sdk.revokeChannelToken(accessToken);
const v21 = await sdk.issueChannelTokenByJWT('client_credentials', jwtBearer, assertion);
await sdk.verifyChannelTokenByJWT(accessToken);
await sdk.revokeChannelTokenByJWT(channelId, channelSecret, accessToken);
const { kids } = await sdk.getsAllValidChannelAccessTokenKeyIds(jwtBearer, assertion);
const stateless = await sdk.issueStatelessChannelTokenByClientSecret(channelId, channelSecret);
console.log(shortLived.access_token, v21.key_id, kids, stateless.expires_in);
export {};
