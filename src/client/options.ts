/**
 * Options of {@link ChannelAccessTokenClient}. Their defaults are in `CLIENT_DEFAULTS`
 * (client/defaults.ts), derived from the options spec.
 *
 * @module
 */
import type {
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
} from '../errors.js';
import type { Telemetry } from '../telemetry/types.js';
import type { FetchLike, OperationName } from './types.js';

/** All eight operations, for `retry.operations` when you opt every one of them in. */
export const ALL_OPERATIONS: readonly OperationName[] = Object.freeze([
  'issueShortLived',
  'verify',
  'revoke',
  'issueV21',
  'verifyV21',
  'revokeV21',
  'getValidKeyIds',
  'issueStateless',
] as const);

/** The failures a retry decision is made about (unknown errors are never retried). */
export type RetryableError =
  LineApiError | LineNetworkError | LineTimeoutError | LineInvalidResponseError;

/** What `shouldRetry` is told about a failed attempt. */
export interface RetryContext {
  /** The operation that failed. */
  readonly operation: OperationName;
  /** The failure of this attempt. */
  readonly error: RetryableError;
  /** Retries already made before this failure (0 after the first attempt). */
  readonly retryCount: number;
  /**
   * `false` when the request provably never left this machine (connection refused, DNS
   * failure), so retrying cannot have side effects on LINE's side; `true` when LINE
   * answered; `undefined` when unknown (a timeout, a reset connection).
   */
  readonly requestSent: boolean | undefined;
}

/**
 * Retries, described as data (after ky). A failed attempt is retried when all of these
 * hold: retries are left (`limit`); the failure is a network error, a timeout or a status
 * in `statusCodes`; the operation is in `operations` — or, for the others, LINE provably
 * issued nothing (a 429 in `statusCodes`, or a request that never left the machine). A
 * `shouldRetry` hook can overrule that decision either way. Caller aborts, invalid
 * arguments and unknown errors (bugs) are never retried.
 *
 * The wait before a retry is the `Retry-After` LINE sent (for `afterStatusCodes`; when it
 * asks for more than `maxRetryAfterMs` the retries stop and its error is thrown, with
 * `retryAfterSec` set), else `backoffMs * 2 ** retryCount`, capped at `backoffLimitMs`,
 * with jitter.
 *
 * @example
 * ```ts
 * // Opt the issue operations into retrying 5xx and timeouts too, accepting that a retry
 * // may burn a v2.1 token slot:
 * new ChannelAccessTokenClient({ retry: { operations: ALL_OPERATIONS } })
 * ```
 */
export interface RetryOptions {
  /**
   * Retries after the first attempt; 0 disables retrying.
   *
   * @defaultValue 2
   */
  limit: number;
  /**
   * HTTP statuses to retry. Never retry other 4xx.
   *
   * @defaultValue `[408, 429, 500, 502, 503, 504]`
   */
  statusCodes: readonly number[];
  /**
   * Statuses whose `Retry-After` is honoured.
   *
   * @defaultValue `[429, 503]`
   */
  afterStatusCodes: readonly number[];
  /**
   * The longest `Retry-After` wait honoured, ms.
   *
   * @defaultValue 60000
   */
  maxRetryAfterMs: number;
  /**
   * The first backoff delay, ms, doubled per retry.
   *
   * @defaultValue 500
   */
  backoffMs: number;
  /**
   * The longest backoff delay, ms.
   *
   * @defaultValue 10000
   */
  backoffLimitMs: number;
  /**
   * `true` (default): equal jitter, a random wait between half and all of the backoff, so
   * a fleet does not retry in lockstep yet never retries at once (the token manager's
   * backoff is the same function). `false`: the exact backoff. A function maps the
   * backoff (ms) to the wait (ms). Never applied to a `Retry-After` wait.
   *
   * @defaultValue true
   */
  jitter: boolean | ((backoffMs: number) => number);
  /**
   * Operations retried on every retryable failure: by default all but `issueV21` and
   * `issueShortLived` (`CLIENT_DEFAULTS.retry.operations`); pass {@link ALL_OPERATIONS} to
   * opt those in.
   *
   * @defaultValue every operation but `issueV21` and `issueShortLived`
   */
  operations: readonly OperationName[];
  /**
   * Overrules the decision for one failed attempt: `true` retries (within `limit`),
   * `false` stops, `undefined` keeps the default decision. Not called for caller aborts
   * or unknown errors.
   *
   * @defaultValue none
   */
  shouldRetry:
    ((context: RetryContext) => boolean | undefined | Promise<boolean | undefined>) | undefined;
  /**
   * Waits before a retry; rejects with the signal's reason on abort. Inject one that
   * records the delays to test retries without sleeping.
   *
   * @defaultValue a `setTimeout` sleep
   */
  delay: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * Options of {@link ChannelAccessTokenClient}, all optional and checked once, at
 * construction.
 *
 * @example
 * ```ts
 * const client = new ChannelAccessTokenClient({ baseUrl: emulator.url, timeoutMs: 5_000 })
 * ```
 */
export interface ClientOptions {
  /**
   * API origin, optionally with a path prefix; a trailing slash is fine.
   *
   * @defaultValue `'https://api.line.me'`
   */
  baseUrl?: string;
  /**
   * The `fetch` to use; when given, it is used on every runtime.
   *
   * @defaultValue on Node.js, `node:http`/`node:https` on kept-alive connections (at most
   *   64 sockets per origin; the package's `node` condition); elsewhere the global `fetch`
   */
  fetch?: FetchLike;
  /**
   * Limit for each HTTP attempt (retries each get their own), ms.
   *
   * @defaultValue 10000
   */
  timeoutMs?: number;
  /**
   * The `User-Agent` header.
   *
   * @defaultValue `line-token/<version>`
   */
  userAgent?: string;
  /**
   * Retry policy; `false` disables retrying. Each field's default is in
   * {@link RetryOptions} and `CLIENT_DEFAULTS.retry`.
   *
   * @defaultValue `CLIENT_DEFAULTS.retry`
   */
  retry?: Partial<RetryOptions> | false;
  /**
   * The clock, epoch ms, for `expiresAt` and `Retry-After` dates.
   *
   * @defaultValue `Date.now`
   */
  now?: () => number;
  /**
   * Where each HTTP attempt is reported (a span, request metrics): `openTelemetry()` of
   * `line-token/opentelemetry`. A manager passes its own `telemetry` to the client it
   * builds. See docs/observability.md.
   *
   * @defaultValue none: no telemetry work at all
   */
  telemetry?: Telemetry;
}
