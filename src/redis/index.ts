/**
 * `line-token/redis`: a token store on Redis for fleets of processes that share one
 * channel's token. Node-only; needs a Redis client: `ioredis` (`Redis` or `Cluster`) or
 * `redis` (node-redis v5, `createClient` or `createCluster`), both optional peer
 * dependencies, never imported here.
 *
 * @module line-token/redis
 */
export { RedisTokenStore } from './redis-store.js';
export { REDIS_TOKEN_STORE_DEFAULTS, type RedisTokenStoreOptions } from './options.js';
export type {
  NodeRedisClientLike,
  NodeRedisClusterLike,
  NodeRedisListener,
  NodeRedisSubscriberLike,
  RedisClient,
  RedisClientLike,
  RedisSubscriberLike,
} from './types.js';
