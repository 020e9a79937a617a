/**
 * `line-token/env` (Node.js only): the LINE_* environment variables read exactly as the
 * `line-token` CLI reads them, turned into a `TokenStrategy` for a `TokenManager`.
 * The private key may be a file path, the JWK or PEM text, the same in one pair of
 * quotes, or base64 of either; it is read and imported here, so a bad key fails now, naming
 * the variable, never showing the key.
 *
 * @example
 * ```ts
 * import { TokenManager } from 'line-token';
 * import { apiBaseUrlFromEnv, strategyFromEnv } from 'line-token/env';
 *
 * const baseUrl = apiBaseUrlFromEnv();
 * const manager = new TokenManager({
 *   strategy: await strategyFromEnv({ type: 'v2.1', tokenExpSec: 86_400 }),
 *   ...(baseUrl !== undefined && { clientOptions: { baseUrl } }),
 * });
 * ```
 *
 * @module line-token/env
 */
export * from './env.js';
