/**
 * The client's options spec: one reader per key of {@link ClientOptions} and of
 * {@link RetryOptions}, each with its default and its check. `CLIENT_DEFAULTS` is derived
 * from it (client/defaults.ts) and `normalizeClientOptions` reads with it, so a default is
 * written once, here.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
  custom,
  duration,
  fn,
  group,
  integer,
  number,
  text,
  withDefault,
  type Defaulted,
  type OptionsSpec,
  type Reader,
  type ReadOptions,
} from '../../internal/options-spec.js';
import { sleep } from '../../internal/sleep.js';
import { invalidOption } from '../../internal/validate.js';
import { telemetryOption } from '../../telemetry/observe.js';
import { ALL_OPERATIONS, type ClientOptions, type RetryOptions } from '../options.js';
import type { FetchLike, OperationName } from '../types.js';
import { VERSION } from '../../internal/version.js';

// A finite, non-negative duration (fractions allowed), or one that may also be Infinity.
const FINITE_MS = { min: 0, max: Number.MAX_VALUE, unit: 'milliseconds' };
const CAP_MS = { min: 0, max: Infinity, unit: 'milliseconds' };

function statusList(fallback: readonly number[]): Defaulted<readonly number[]> {
  return withDefault(Object.freeze([...fallback]), (value, path) => {
    if (value === undefined) return fallback;
    if (
      !Array.isArray(value) ||
      !value.every((code) => Number.isInteger(code) && code >= 400 && code <= 599)
    ) {
      invalidOption(path, 'an array of HTTP error statuses (400-599)', value);
    }
    return Object.freeze([...(value as number[])]);
  });
}

/**
 * Operations that get the full retry policy by default: the ones a repeat cannot make
 * worse. `issueV21` and `issueShortLived` are left out because a retried issue whose first
 * attempt did reach LINE costs a token: a v2.1 issue burns one of the channel's 30 slots, a
 * short-lived one may evict the channel's oldest live token.
 */
const SAFE_TO_REPEAT: readonly OperationName[] = Object.freeze(
  ALL_OPERATIONS.filter((op) => op !== 'issueV21' && op !== 'issueShortLived'),
);

function operationList(fallback: readonly OperationName[]): Defaulted<readonly OperationName[]> {
  return withDefault(fallback, (value, path) => {
    if (value === undefined) return fallback;
    if (
      !Array.isArray(value) ||
      !value.every((op) => (ALL_OPERATIONS as readonly unknown[]).includes(op))
    ) {
      invalidOption(path, `an array of operation names (${ALL_OPERATIONS.join(', ')})`, value);
    }
    return Object.freeze([...(value as OperationName[])]);
  });
}

/** The retry policy's readers and defaults. */
export const RETRY_SPEC = {
  /** Retries after the first attempt (3 attempts in all). */
  limit: integer(2, 0, 100),
  /** Statuses retried: LINE refusing for now (408, 429) and transient server failures. */
  statusCodes: statusList([408, 429, 500, 502, 503, 504]),
  /** Statuses whose `Retry-After` is honoured. */
  afterStatusCodes: statusList([429, 503]),
  /** The longest `Retry-After` wait honoured, ms; LINE asking for more ends the retries. */
  maxRetryAfterMs: number(60_000, CAP_MS),
  /** The first backoff delay, ms, doubled per retry. */
  backoffMs: number(500, FINITE_MS),
  /** The longest backoff delay, ms. */
  backoffLimitMs: number(10_000, CAP_MS),
  /** Equal jitter: a random wait between half and all of the backoff. */
  jitter: withDefault<RetryOptions['jitter']>(true, (value, path) => {
    if (value === undefined) return true;
    if (typeof value !== 'boolean' && typeof value !== 'function') {
      invalidOption(path, 'a boolean or a function', value);
    }
    return value as RetryOptions['jitter'];
  }),
  /** Operations retried on every retryable failure: all but `issueV21` and `issueShortLived`. */
  operations: operationList(SAFE_TO_REPEAT),
  shouldRetry: fn<RetryOptions['shouldRetry']>(undefined),
  delay: fn<RetryOptions['delay']>(sleep),
} satisfies OptionsSpec<RetryOptions>;

const retryObject = group(RETRY_SPEC);

/** The retry group: an object of {@link RETRY_SPEC}'s keys, or `false` (no retries). */
const retryGroup: Reader<Readonly<ReadOptions<typeof RETRY_SPEC>>> & {
  readonly group: typeof RETRY_SPEC;
} = {
  group: RETRY_SPEC,
  read(value, path) {
    if (value === false) return Object.freeze({ ...retryObject.read(undefined, path), limit: 0 });
    const plain = typeof value === 'object' && value !== null && !Array.isArray(value);
    if (value !== undefined && !plain) {
      invalidOption(path, 'an object or false', value);
    }
    return Object.freeze(retryObject.read(value, path));
  },
};

function baseUrl(value: unknown, path: string): string {
  if (typeof value !== 'string') invalidOption(path, 'a string URL', value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value itself is not quoted: a URL may carry credentials.
    return invalidOption(path, 'an absolute http:// or https:// URL', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalidOption(path, 'an absolute http:// or https:// URL', value);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new InvalidArgumentError(
      path,
      `"${path}" option must not hold a query, a fragment or credentials`,
    );
  }
  // Paths are appended as `${baseUrl}/v2/...`, so any trailing slashes go.
  return url.href.replace(/\/+$/, '');
}

const LINE_API = 'https://api.line.me';

/** The client's readers and defaults. */
export const CLIENT_SPEC = {
  /** Where requests go. */
  baseUrl: withDefault(LINE_API, (value, path) =>
    value === undefined ? LINE_API : baseUrl(value, path),
  ),
  fetch: fn<FetchLike | undefined>(undefined),
  /** How long one HTTP attempt may take, ms. */
  timeoutMs: duration(10_000),
  /** The `User-Agent` sent. A header value cannot hold control characters. */
  userAgent: text(`line-token/${VERSION}`),
  /** The retry policy's defaults (see {@link RetryOptions}). */
  retry: retryGroup,
  now: fn<() => number>(Date.now),
  telemetry: custom((value, path) => telemetryOption(path, value)),
} satisfies OptionsSpec<ClientOptions>;
