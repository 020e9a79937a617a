import { Redis } from 'ioredis';
import { TokenManager } from 'line-token';
import { strategyFromEnv } from 'line-token/env';
import { RedisTokenStore } from 'line-token/redis';

const redis = new Redis(process.env.REDIS_URL!);
const store = new RedisTokenStore({
  client: redis,
  // Optional: seal tokens with AES-256-GCM (32 bytes, e.g. `openssl rand -base64 32`).
  // Every process of the fleet needs the same key.
  ...(process.env.TOKEN_STORE_KEY !== undefined && { encryptionKey: process.env.TOKEN_STORE_KEY }),
});

const manager = new TokenManager({
  // LINE_CHANNEL_ID, LINE_ASSERTION_KID, LINE_ASSERTION_PRIVATE_KEY and LINE_CHANNEL_SECRET
  // (to revoke superseded tokens), read as the line-token CLI reads them.
  strategy: await strategyFromEnv({ type: 'v2.1', tokenExpSec: 86_400 }),
  store,
});

const token = await manager.getToken();

// On shutdown: stop the manager, then the store's own pub/sub connection, then your client.
await manager.close();
await store.close();
await redis.quit();
export {};
