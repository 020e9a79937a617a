// After
import { TokenManager } from 'line-token';

const tokens = new TokenManager({
  strategy: { type: 'v2.1', channelId, kid, privateKey, channelSecret },
});
const token = await tokens.getToken(); // merged, refreshed ahead of time, old tokens revoked
export {};
