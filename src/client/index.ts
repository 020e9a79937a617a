/**
 * The Channel Access Token API client: {@link ChannelAccessTokenClient}, its options,
 * their defaults ({@link CLIENT_DEFAULTS}), and the request and result shapes.
 *
 * @module
 */
export { ChannelAccessTokenClient } from './client.js';
export { ALL_OPERATIONS } from './options.js';
export { CLIENT_DEFAULTS, type ClientDefaults } from './defaults.js';
export type { ClientOptions, RetryContext, RetryOptions, RetryableError } from './options.js';
export type * from './types.js';
