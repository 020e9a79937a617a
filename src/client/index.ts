/**
 * The Channel Access Token API client: {@link ChannelAccessTokenClient}, its options,
 * their defaults, and the request and result shapes.
 *
 * @module
 */
export { ChannelAccessTokenClient } from './client.js';
export {
  ALL_OPERATIONS,
  DEFAULT_BACKOFF_LIMIT_MS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY_AFTER_STATUS_CODES,
  DEFAULT_RETRY_LIMIT,
  DEFAULT_RETRY_OPERATIONS,
  DEFAULT_RETRY_STATUS_CODES,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
} from './options.js';
export type { ClientOptions, RetryContext, RetryOptions, RetryableError } from './options.js';
export type * from './types.js';
