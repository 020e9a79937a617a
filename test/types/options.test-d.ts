// The option types users write: a misspelt key and a value of the wrong type do not compile,
// for the manager's groups, the client and the Redis store.
import { ChannelAccessTokenClient, TokenManager, type TokenManagerOptions } from 'line-token';
import { RedisTokenStore, type RedisClient } from 'line-token/redis';

const strategy = { type: 'static', accessToken: 'token' } as const;

const options: TokenManagerOptions = {
  strategy,
  refresh: { windowFraction: 0.2, keepWarm: true },
  retry: { limit: 3, backoffMs: 1_000 },
  revoke: { superseded: true, graceMs: 60_000 },
  tokenLimit: { headroom: 2 },
  lock: { ttlMs: 30_000 },
};
void new TokenManager(options);

// @ts-expect-error: misspelt group key (the run-time check says "did you mean" too)
void new TokenManager({ strategy, refresh: { windowFracton: 0.2 } });
// @ts-expect-error: the 0.1 flat names are gone; this one is refresh.keepWarm now
void new TokenManager({ strategy, keepWarm: true });
// @ts-expect-error: a duration is a number of milliseconds
void new TokenManager({ strategy, retry: { backoffMs: '1s' } });
// @ts-expect-error: revoke.superseded is a boolean
void new TokenManager({ strategy, revoke: { superseded: 'yes' } });

void new ChannelAccessTokenClient({ timeoutMs: 5_000, retry: { limit: 2 } });
void new ChannelAccessTokenClient({ retry: false });
// @ts-expect-error: misspelt key
void new ChannelAccessTokenClient({ timeoutMS: 5_000 });
// @ts-expect-error: retry is an object or false, never true
void new ChannelAccessTokenClient({ retry: true });

declare const client: RedisClient;
void new RedisTokenStore({ client, prefix: 'line-token:' });
// @ts-expect-error: misspelt key
void new RedisTokenStore({ client, prefx: 'line-token:' });
