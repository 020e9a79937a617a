/**
 * The retry loop: runs attempts until one succeeds, the policy says stop, or the limit is
 * reached. The policy itself is data ({@link RetryOptions}); this file only applies it.
 *
 * @module
 */
import {
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
} from '../../errors.js';
import type { RetryableError, RetryOptions } from '../options.js';
import type { OperationName } from '../types.js';

// Failures that happen before a single byte of the request leaves the machine: the
// connection was refused, the name did not resolve, no route. Retrying them cannot make
// LINE issue a second token. Read from `code` fields so the core needs no `node:` import.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function neverSent(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
  // Happy-eyeballs connects fail with an AggregateError: not sent only if no address took it.
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.every((inner) => neverSent(inner, depth + 1));
  }
  return neverSent(error.cause, depth + 1);
}

/**
 * Whether the failed request reached LINE: `true` if LINE answered, `false` if it
 * provably never left (see NOT_SENT_CODES), `undefined` if nobody can tell.
 */
export function requestSent(error: RetryableError): boolean | undefined {
  if (error instanceof LineApiError || error instanceof LineInvalidResponseError) return true;
  if (error instanceof LineNetworkError) return neverSent(error.cause) ? false : undefined;
  return undefined;
}

function isRetryable(error: unknown): error is RetryableError {
  return (
    error instanceof LineApiError ||
    error instanceof LineNetworkError ||
    error instanceof LineTimeoutError ||
    error instanceof LineInvalidResponseError
  );
}

/** The decision before any `shouldRetry` hook: see {@link RetryOptions}. */
export function defaultDecision(
  retry: Readonly<RetryOptions>,
  operation: OperationName,
  error: RetryableError,
  sent: boolean | undefined,
): boolean {
  const fullPolicy = retry.operations.includes(operation);
  if (error instanceof LineApiError) {
    if (!retry.statusCodes.includes(error.status)) return false;
    // A 429 is LINE refusing before doing anything, so even an issue is safe to repeat.
    return fullPolicy || error.status === 429;
  }
  if (error instanceof LineNetworkError) return fullPolicy || sent === false;
  if (error instanceof LineTimeoutError) return fullPolicy;
  // A 2xx of the wrong shape: repeating the request rarely changes what answers it.
  return false;
}

/** The backoff before retry number `retryCount + 1`, jitter applied. */
export function backoffDelayMs(retry: Readonly<RetryOptions>, retryCount: number): number {
  const backoff = Math.min(retry.backoffLimitMs, retry.backoffMs * 2 ** retryCount);
  if (retry.jitter === false) return backoff;
  if (retry.jitter === true) return Math.random() * backoff;
  const jittered = retry.jitter(backoff);
  return Number.isFinite(jittered) && jittered >= 0 ? jittered : backoff;
}

// After a retry, the error thrown is a fresh one of the same class and fields, so code
// that switches on class and status keeps working, with the last attempt's error as its
// cause (and that error's own cause chain intact below it).
function afterRetries(error: RetryableError): RetryableError {
  const options = { cause: error };
  if (error instanceof LineApiError) {
    return new LineApiError(
      {
        operation: error.operation,
        status: error.status,
        error: error.error,
        errorDescription: error.errorDescription,
        lineMessage: error.lineMessage,
        requestId: error.requestId,
        retryAfterSec: error.retryAfterSec,
      },
      options,
    );
  }
  if (error instanceof LineNetworkError) return new LineNetworkError(error.operation, options);
  if (error instanceof LineTimeoutError) {
    return new LineTimeoutError(error.operation, error.timeoutMs, options);
  }
  return new LineInvalidResponseError(
    {
      operation: error.operation,
      status: error.status,
      reason: 'still invalid after retrying (see cause)',
      requestId: error.requestId,
    },
    options,
  );
}

/**
 * Runs `attempt` under the retry policy. Unknown errors and the caller's abort pass
 * through unchanged; an error after at least one retry is wrapped (see afterRetries).
 */
export async function withRetries<T>(
  retry: Readonly<RetryOptions>,
  operation: OperationName,
  signal: AbortSignal | undefined,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let retryCount = 0; ; retryCount++) {
    let error: RetryableError;
    try {
      return await attempt();
    } catch (caught) {
      if (!isRetryable(caught) || signal?.aborted) throw caught;
      error = caught;
    }
    const giveUp = (): RetryableError => (retryCount === 0 ? error : afterRetries(error));
    if (retryCount >= retry.limit) throw giveUp();

    const sent = requestSent(error);
    let shouldRetry = defaultDecision(retry, operation, error, sent);
    if (retry.shouldRetry !== undefined) {
      const verdict = await retry.shouldRetry({ operation, error, retryCount, requestSent: sent });
      if (typeof verdict === 'boolean') shouldRetry = verdict;
    }
    if (!shouldRetry) throw giveUp();

    let delayMs: number;
    if (
      error instanceof LineApiError &&
      error.retryAfterSec !== undefined &&
      retry.afterStatusCodes.includes(error.status)
    ) {
      delayMs = error.retryAfterSec * 1000;
      // Retrying before LINE said so only earns another 429; the caller, who can see
      // retryAfterSec on the error, is better placed to wait that long.
      if (delayMs > retry.maxRetryAfterMs) throw giveUp();
    } else {
      delayMs = backoffDelayMs(retry, retryCount);
    }
    await retry.delay(delayMs, signal);
  }
}
