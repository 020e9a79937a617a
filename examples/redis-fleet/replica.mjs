// One replica of a fleet: every replica started with the same REDIS_URL and channel shares
// one token, issued by whichever replica takes the lock first; the others adopt it.
//
//   REDIS_URL=redis://127.0.0.1:6379 LINE_CHANNEL_ID=... LINE_CHANNEL_SECRET=... \
//   LINE_ASSERTION_KID=... LINE_ASSERTION_PRIVATE_KEY=key.json node replica.mjs
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { TokenManager } from 'line-token';
import { RedisTokenStore } from 'line-token/redis';

const env = process.env;
const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const store = new RedisTokenStore({ client: redis });
const tokens = new TokenManager({
  strategy: {
    type: 'v2.1',
    channelId: env.LINE_CHANNEL_ID,
    kid: env.LINE_ASSERTION_KID,
    privateKey: readFileSync(env.LINE_ASSERTION_PRIVATE_KEY, 'utf8'),
    channelSecret: env.LINE_CHANNEL_SECRET,
  },
  store,
  clientOptions: { baseUrl: env.LINE_API_BASE_URL ?? 'https://api.line.me' },
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
