import { TokenManager } from 'line-token';
import { strategyFromEnv } from 'line-token/env'; // Node.js: the LINE_* variables, read as the CLI reads them

const manager = new TokenManager({
  // LINE_CHANNEL_ID, LINE_ASSERTION_KID, LINE_ASSERTION_PRIVATE_KEY (a path, the JWK or PEM
  // text, quoted or base64) and LINE_CHANNEL_SECRET (to revoke superseded tokens).
  strategy: await strategyFromEnv({ type: 'v2.1', tokenExpSec: 86_400 }), // 1-day tokens
});

const token = await manager.getToken();
// ...on shutdown:
await manager.close();
export {};
