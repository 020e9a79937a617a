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
import { backoffDelayMs as sharedBackoffMs } from '../../internal/backoff.js';
import { classifyFailure, requestSent } from '../../internal/failure.js';
import type { RetryableError, RetryOptions } from '../options.js';
import type { OperationName } from '../types.js';

/**
 * Whether the failed request reached LINE: `true` if LINE answered, `false` if it
 * provably never left, `undefined` if nobody can tell. Shared with the token manager.
 */
export { requestSent } from '../../internal/failure.js';

function isRetryable(error: unknown): error is RetryableError {
  return (
    error instanceof LineApiError ||
    error instanceof LineNetworkError ||
    error instanceof LineTimeoutError ||
    error instanceof LineInvalidResponseError
  );
}

/**
 * The decision before any `shouldRetry` hook: see {@link RetryOptions}. Built on the
 * shared failure classifier: an operation outside `operations` (an issue) is repeated
 * only when its failure is `not-sent` or a transient refusal (408, 429), never when LINE
 * may have issued a token (`ambiguous`).
 */
export function defaultDecision(
  retry: Readonly<RetryOptions>,
  operation: OperationName,
  error: RetryableError,
  _sent?: boolean | undefined,
): boolean {
  const verdict = classifyFailure(error);
  if (verdict === undefined || !verdict.transient) return false;
  if (error instanceof LineApiError && !retry.statusCodes.includes(error.status)) return false;
  // A 2xx of the wrong shape: repeating the request rarely changes what answers it.
  if (error instanceof LineInvalidResponseError) return false;
  if (retry.operations.includes(operation)) return true;
  return verdict.kind !== 'ambiguous';
}

/** The backoff before retry number `retryCount + 1`, jitter applied (the shared backoff). */
export function backoffDelayMs(retry: Readonly<RetryOptions>, retryCount: number): number {
  return sharedBackoffMs(
    retryCount + 1,
    { initialMs: retry.backoffMs, maxMs: retry.backoffLimitMs },
    retry.jitter,
    Math.random(),
  );
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
