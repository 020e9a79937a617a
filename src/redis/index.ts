/**
 * `line-token/redis`: a token store on Redis for fleets of processes that share one
 * channel's token. Node-only; needs a Redis client such as `ioredis` (an optional peer
 * dependency, never imported here).
 *
 * @module
 */
export { RedisTokenStore } from './redis-store.js';
export {
  DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
  DEFAULT_REDIS_POLL_INTERVAL_MS,
  DEFAULT_REDIS_PREFIX,
  type RedisTokenStoreOptions,
} from './options.js';
export type { RedisClientLike, RedisSubscriberLike } from './types.js';
