/**
 * The client's defaults, as one frozen object shaped like {@link ClientOptions}, derived
 * from the options spec (so each default is written once, beside its check).
 *
 * @module
 */
import { defaultsOf, type DefaultsOf, type SameKeys } from '../internal/options-spec.js';
import { CLIENT_SPEC, RETRY_SPEC } from './internal/spec.js';
import type { ClientOptions, RetryOptions } from './options.js';

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
export const CLIENT_DEFAULTS: ClientDefaults = defaultsOf(CLIENT_SPEC);

/** The type of {@link CLIENT_DEFAULTS}: the options with a fixed default, read-only. */
export type ClientDefaults = Readonly<
  Required<Pick<ClientOptions, 'baseUrl' | 'timeoutMs' | 'userAgent'>>
> & {
  readonly retry: Readonly<
    Required<
      Pick<
        RetryOptions,
        | 'limit'
        | 'statusCodes'
        | 'afterStatusCodes'
        | 'maxRetryAfterMs'
        | 'backoffMs'
        | 'backoffLimitMs'
        | 'jitter'
        | 'operations'
      >
    >
  >;
};

// The written-out type lists exactly the keys the spec gives a default: a default added to
// the spec and not here (or the reverse) fails to compile.
const sameKeys: SameKeys<ClientDefaults, DefaultsOf<typeof CLIENT_SPEC>> &
  SameKeys<ClientDefaults['retry'], DefaultsOf<typeof RETRY_SPEC>> = true;
void sameKeys;
