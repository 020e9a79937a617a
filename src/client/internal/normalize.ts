/**
 * Checks {@link ClientOptions} once, at construction, into a complete normalized object,
 * so the request path never re-validates or falls back to defaults.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
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
  type ClientOptions,
  type RetryOptions,
} from '../options.js';
import type { FetchLike, OperationName } from '../types.js';
import { sleep } from '../../internal/sleep.js';
import { describeType, hasControlCharacter } from './validate.js';

/** The client's options after checking: every field present and valid. */
export interface NormalizedClientOptions {
  readonly baseUrl: string;
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly retry: Readonly<RetryOptions>;
  readonly now: () => number;
}

const CLIENT_KEYS = ['baseUrl', 'fetch', 'timeoutMs', 'userAgent', 'retry', 'now'] as const;
const RETRY_KEYS = [
  'limit',
  'statusCodes',
  'afterStatusCodes',
  'maxRetryAfterMs',
  'backoffMs',
  'backoffLimitMs',
  'jitter',
  'operations',
  'shouldRetry',
  'delay',
] as const;
// setTimeout stores delays in a signed 32-bit integer; longer ones fire immediately.
const MAX_TIMER_MS = 2_147_483_647;
const MAX_RETRY_LIMIT = 100;

function fail(argument: string, message: string): never {
  throw new InvalidArgumentError(argument, message);
}

function checkKnownKeys(value: object, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      fail(
        `${prefix}${key}`,
        `"${prefix}${key}" is not an option of the client; known options: ${known.join(', ')}`,
      );
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integerIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(
      name,
      `"${name}" option must be an integer from ${min} to ${max} (got ${describeType(value)})`,
    );
  }
  return value;
}

// Durations may be Infinity where "no limit" makes sense (the caps), never NaN or negative.
function duration(name: string, value: unknown, allowInfinity: boolean): number {
  const ok =
    typeof value === 'number' &&
    value >= 0 &&
    (Number.isFinite(value) || (allowInfinity && value === Infinity));
  if (!ok) {
    fail(
      name,
      `"${name}" option must be a non-negative number of milliseconds${allowInfinity ? ' (or Infinity)' : ''} (got ${describeType(value)})`,
    );
  }
  return value;
}

function statusList(name: string, value: unknown): readonly number[] {
  if (
    !Array.isArray(value) ||
    !value.every((code) => Number.isInteger(code) && code >= 400 && code <= 599)
  ) {
    fail(name, `"${name}" option must be an array of HTTP error statuses (400-599)`);
  }
  return Object.freeze([...(value as number[])]);
}

function operationList(value: unknown): readonly OperationName[] {
  if (
    !Array.isArray(value) ||
    !value.every((op) => (ALL_OPERATIONS as readonly unknown[]).includes(op))
  ) {
    fail(
      'retry.operations',
      `"retry.operations" option must be an array of operation names: ${ALL_OPERATIONS.join(', ')}`,
    );
  }
  return Object.freeze([...(value as OperationName[])]);
}

function optionalFunction<T>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function')
    fail(name, `"${name}" option must be a function (got ${describeType(value)})`);
  return value as T;
}

function normalizeBaseUrl(value: unknown): string {
  if (value === undefined) return DEFAULT_BASE_URL;
  if (typeof value !== 'string')
    fail('baseUrl', `"baseUrl" option must be a string URL (got ${describeType(value)})`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value itself is not quoted: a URL may carry credentials.
    return fail('baseUrl', '"baseUrl" option must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail('baseUrl', '"baseUrl" option must be an absolute http:// or https:// URL');
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    fail('baseUrl', '"baseUrl" option must not hold a query, a fragment or credentials');
  }
  // Paths are appended as `${baseUrl}/v2/...`, so any trailing slashes go.
  return url.href.replace(/\/+$/, '');
}

function normalizeRetry(value: unknown): Readonly<RetryOptions> {
  const defaults: RetryOptions = {
    limit: DEFAULT_RETRY_LIMIT,
    statusCodes: DEFAULT_RETRY_STATUS_CODES,
    afterStatusCodes: DEFAULT_RETRY_AFTER_STATUS_CODES,
    maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
    backoffMs: DEFAULT_BACKOFF_MS,
    backoffLimitMs: DEFAULT_BACKOFF_LIMIT_MS,
    jitter: true,
    operations: DEFAULT_RETRY_OPERATIONS,
    shouldRetry: undefined,
    delay: sleep,
  };
  if (value === undefined) return Object.freeze(defaults);
  if (value === false) return Object.freeze({ ...defaults, limit: 0 });
  if (!isPlainObject(value)) {
    fail('retry', `"retry" option must be an object or false (got ${describeType(value)})`);
  }
  checkKnownKeys(value, RETRY_KEYS, 'retry.');
  const jitter = value['jitter'] ?? defaults.jitter;
  if (typeof jitter !== 'boolean' && typeof jitter !== 'function') {
    fail(
      'retry.jitter',
      `"retry.jitter" option must be a boolean or a function (got ${describeType(jitter)})`,
    );
  }
  return Object.freeze({
    limit: integerIn('retry.limit', value['limit'] ?? defaults.limit, 0, MAX_RETRY_LIMIT),
    statusCodes: statusList('retry.statusCodes', value['statusCodes'] ?? defaults.statusCodes),
    afterStatusCodes: statusList(
      'retry.afterStatusCodes',
      value['afterStatusCodes'] ?? defaults.afterStatusCodes,
    ),
    maxRetryAfterMs: duration(
      'retry.maxRetryAfterMs',
      value['maxRetryAfterMs'] ?? defaults.maxRetryAfterMs,
      true,
    ),
    backoffMs: duration('retry.backoffMs', value['backoffMs'] ?? defaults.backoffMs, false),
    backoffLimitMs: duration(
      'retry.backoffLimitMs',
      value['backoffLimitMs'] ?? defaults.backoffLimitMs,
      true,
    ),
    jitter: jitter as RetryOptions['jitter'],
    operations: operationList(value['operations'] ?? defaults.operations),
    shouldRetry: optionalFunction('retry.shouldRetry', value['shouldRetry'], undefined),
    delay: optionalFunction('retry.delay', value['delay'], defaults.delay),
  });
}

/** Checks the client's options and fills in the defaults; throws {@link InvalidArgumentError}. */
export function normalizeClientOptions(options: unknown): NormalizedClientOptions {
  if (options === undefined) options = {};
  if (!isPlainObject(options)) {
    fail('options', `client options must be an object (got ${describeType(options)})`);
  }
  checkKnownKeys(options, CLIENT_KEYS, '');
  const opts = options as ClientOptions;

  let fetchImpl: FetchLike;
  if (opts.fetch === undefined) {
    if (typeof globalThis.fetch !== 'function') {
      fail('fetch', 'this runtime has no global fetch; pass one as the "fetch" option');
    }
    // Bound, because some runtimes refuse a fetch called with another `this`.
    fetchImpl = globalThis.fetch.bind(globalThis);
  } else {
    fetchImpl = optionalFunction<FetchLike>('fetch', opts.fetch, undefined as never);
  }

  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  // A header value cannot hold control characters; fetch would throw later, less clearly.
  if (typeof userAgent !== 'string' || userAgent === '' || hasControlCharacter(userAgent)) {
    fail('userAgent', '"userAgent" option must be a non-empty string without control characters');
  }

  return Object.freeze({
    baseUrl: normalizeBaseUrl(opts.baseUrl),
    fetch: fetchImpl,
    timeoutMs: integerIn('timeoutMs', opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1, MAX_TIMER_MS),
    userAgent,
    retry: normalizeRetry(opts.retry),
    now: optionalFunction<() => number>('now', opts.now, Date.now),
  });
}
