// One replica of a fleet: every replica started with the same REDIS_URL and channel shares
// one token, issued by whichever replica takes the lock first; the others adopt it.
//
//   REDIS_URL=redis://127.0.0.1:6379 LINE_CHANNEL_ID=... LINE_CHANNEL_SECRET=... \
//   LINE_ASSERTION_KID=... LINE_ASSERTION_PRIVATE_KEY=key.json node replica.mjs
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { TokenManager } from 'line-token';
import { apiBaseUrlFromEnv, strategyFromEnv } from 'line-token/env';
import { RedisTokenStore } from 'line-token/redis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const store = new RedisTokenStore({ client: redis });
const tokens = new TokenManager({
  // With LINE_CHANNEL_SECRET set too, superseded tokens are revoked.
  strategy: await strategyFromEnv({ type: 'v2.1' }),
  store,
  clientOptions: { baseUrl: apiBaseUrlFromEnv() ?? 'https://api.line.me' },
});

try {
  const token = await tokens.getToken();
  // A fingerprint, never the token: enough to see that the replicas share one.
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 12);
  console.log(JSON.stringify({ pid: process.pid, fingerprint }));
} finally {
  await tokens.close();
  await store.close();
  await redis.quit();
}
