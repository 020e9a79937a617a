import { TokenManager, authorizedFetch } from 'line-token';

const tokens = new TokenManager({
  strategy: { type: 'v2.1', channelId, kid, privateKey, tokenExpSec: 86_400, channelSecret },
});

const token = await tokens.getToken(); // cached: no I/O until the refresh window
const lineFetch = authorizedFetch(tokens); // adds the bearer; on a 401 refreshes and retries once
export {};
