/**
 * Checks {@link ClientOptions} once, at construction, into a complete normalized object,
 * so the request path never re-validates or falls back to defaults.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
  ALL_OPERATIONS,
  CLIENT_DEFAULTS,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_USER_AGENT,
  type ClientOptions,
  type RetryOptions,
} from '../options.js';
import type { FetchLike, OperationName } from '../types.js';
import { defaultWire, TRANSPORT_NAME } from '#transport';
import { fetchWire, type Wire } from './wire.js';
import { sleep } from '../../internal/sleep.js';
import { telemetryOption } from '../../telemetry/internal/observe.js';
import type { Telemetry } from '../../telemetry/types.js';
import {
  durationOption,
  functionOption,
  integerOption,
  invalidOption,
  numberOption,
  optionsObject,
  rejectUnknownOptions,
  textOption,
} from '../../internal/validate.js';

/** The client's options after checking: every field present and valid. */
export interface NormalizedClientOptions {
  readonly baseUrl: string;
  /** The `fetch` option as a wire, or the platform's default (see fetch-transport.ts). */
  readonly wire: Wire;
  /** `fetch` when the option was given, else the default wire's name. */
  readonly transport: string;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly retry: Readonly<RetryOptions>;
  readonly now: () => number;
  /** `undefined`: no telemetry work at all. */
  readonly telemetry: Telemetry | undefined;
}

const CLIENT_KEYS = [
  'baseUrl',
  'fetch',
  'timeoutMs',
  'userAgent',
  'retry',
  'now',
  'telemetry',
] as const;
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
const MAX_RETRY_LIMIT = 100;
// A finite, non-negative duration (fractions allowed), or one that may also be Infinity.
const FINITE_MS = { min: 0, max: Number.MAX_VALUE, unit: 'milliseconds' };
const CAP_MS = { min: 0, max: Infinity, unit: 'milliseconds' };

function fail(argument: string, message: string): never {
  throw new InvalidArgumentError(argument, message);
}

function statusList(name: string, value: unknown): readonly number[] {
  if (
    !Array.isArray(value) ||
    !value.every((code) => Number.isInteger(code) && code >= 400 && code <= 599)
  ) {
    invalidOption(name, 'an array of HTTP error statuses (400-599)', value);
  }
  return Object.freeze([...(value as number[])]);
}

function operationList(value: unknown): readonly OperationName[] {
  if (
    !Array.isArray(value) ||
    !value.every((op) => (ALL_OPERATIONS as readonly unknown[]).includes(op))
  ) {
    invalidOption(
      'retry.operations',
      `an array of operation names (${ALL_OPERATIONS.join(', ')})`,
      value,
    );
  }
  return Object.freeze([...(value as OperationName[])]);
}

function normalizeBaseUrl(value: unknown): string {
  if (value === undefined) return DEFAULT_BASE_URL;
  if (typeof value !== 'string') invalidOption('baseUrl', 'a string URL', value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // The value itself is not quoted: a URL may carry credentials.
    return invalidOption('baseUrl', 'an absolute http:// or https:// URL', value);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    invalidOption('baseUrl', 'an absolute http:// or https:// URL', value);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    fail('baseUrl', '"baseUrl" option must not hold a query, a fragment or credentials');
  }
  // Paths are appended as `${baseUrl}/v2/...`, so any trailing slashes go.
  return url.href.replace(/\/+$/, '');
}

function normalizeRetry(value: unknown): Readonly<RetryOptions> {
  // The documented defaults (CLIENT_DEFAULTS.retry), plus the two function options.
  const defaults: RetryOptions = { ...CLIENT_DEFAULTS.retry, shouldRetry: undefined, delay: sleep };
  if (value === undefined) return Object.freeze(defaults);
  if (value === false) return Object.freeze({ ...defaults, limit: 0 });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidOption('retry', 'an object or false', value);
  }
  const retry = value as Record<string, unknown>;
  rejectUnknownOptions(retry, RETRY_KEYS, 'retry', 'retry.');
  const jitter = retry['jitter'] ?? defaults.jitter;
  if (typeof jitter !== 'boolean' && typeof jitter !== 'function') {
    invalidOption('retry.jitter', 'a boolean or a function', jitter);
  }
  return Object.freeze({
    limit: integerOption('retry.limit', retry['limit'], defaults.limit, {
      min: 0,
      max: MAX_RETRY_LIMIT,
    }),
    statusCodes: statusList('retry.statusCodes', retry['statusCodes'] ?? defaults.statusCodes),
    afterStatusCodes: statusList(
      'retry.afterStatusCodes',
      retry['afterStatusCodes'] ?? defaults.afterStatusCodes,
    ),
    maxRetryAfterMs: numberOption(
      'retry.maxRetryAfterMs',
      retry['maxRetryAfterMs'],
      defaults.maxRetryAfterMs,
      CAP_MS,
    ),
    backoffMs: numberOption('retry.backoffMs', retry['backoffMs'], defaults.backoffMs, FINITE_MS),
    backoffLimitMs: numberOption(
      'retry.backoffLimitMs',
      retry['backoffLimitMs'],
      defaults.backoffLimitMs,
      CAP_MS,
    ),
    jitter: jitter as RetryOptions['jitter'],
    operations: operationList(retry['operations'] ?? defaults.operations),
    shouldRetry: functionOption('retry.shouldRetry', retry['shouldRetry'], undefined),
    delay: functionOption('retry.delay', retry['delay'], defaults.delay),
  });
}

/** Checks the client's options and fills in the defaults; throws {@link InvalidArgumentError}. */
export function normalizeClientOptions(options: unknown): NormalizedClientOptions {
  const checked = optionsObject('ChannelAccessTokenClient', options);
  rejectUnknownOptions(checked, CLIENT_KEYS, 'ChannelAccessTokenClient');
  const opts = checked as ClientOptions;

  // A given fetch always wins; otherwise the package's `#transport` import picks Node's
  // own HTTP client under the `node` condition and the global fetch everywhere else.
  const wire =
    opts.fetch === undefined
      ? defaultWire()
      : fetchWire(functionOption<FetchLike>('fetch', opts.fetch, undefined as never));

  // A header value cannot hold control characters; fetch would throw later, less clearly.
  const userAgent = textOption('userAgent', opts.userAgent, DEFAULT_USER_AGENT);

  return Object.freeze({
    baseUrl: normalizeBaseUrl(opts.baseUrl),
    wire,
    transport: opts.fetch === undefined ? TRANSPORT_NAME : 'fetch',
    timeoutMs: durationOption('timeoutMs', opts.timeoutMs, DEFAULT_TIMEOUT_MS),
    userAgent,
    retry: normalizeRetry(opts.retry),
    now: functionOption<() => number>('now', opts.now, Date.now),
    telemetry: telemetryOption('telemetry', opts.telemetry),
  });
}
