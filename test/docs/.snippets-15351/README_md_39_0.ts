import { TokenManager } from 'line-token';

const tokens = new TokenManager({
  strategy: { type: 'v2.1', channelId, kid, privateKey, channelSecret },
});

// Every call: a valid token, from memory until the refresh window, then a fresh one
// (concurrent callers share one issue; the old v2.1 token is revoked after a grace period).
const token = await tokens.getToken();
await fetch('https://api.line.me/v2/bot/info', { headers: { authorization: `Bearer ${token}` } });
await tokens.close();
export {};
