/**
 * The client's defaults, as one frozen object shaped like `ClientOptions`, derived
 * from the options spec (so each default is written once, beside its check).
 *
 * @module
 */
import { defaultsOf } from '../internal/options-spec.js';
import { CLIENT_SPEC } from './internal/spec.js';

/**
 * The defaults of `ClientOptions`, shaped like them (`CLIENT_DEFAULTS.retry.limit` is
 * the default of `retry.limit`; see `RetryOptions` for what each means). Read-only,
 * frozen all the way down.
 *
 * @example
 * ```ts
 * // Retry 503s only, keeping the other retry defaults:
 * new ChannelAccessTokenClient({ retry: { statusCodes: [503] } });
 * CLIENT_DEFAULTS.retry.statusCodes; // [408, 429, 500, 502, 503, 504]
 * ```
 */
export const CLIENT_DEFAULTS = defaultsOf(CLIENT_SPEC);
