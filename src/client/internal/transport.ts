/**
 * One HTTP attempt: build the request exactly as the spec says, run it under the
 * per-attempt timeout and the caller's signal, read the body, and classify any failure
 * as timeout, caller abort, network error or unknown.
 *
 * @module
 */
import { LineNetworkError, LineTimeoutError, LineTokenError } from '../../errors.js';
import type { OperationName } from '../types.js';
import type { NormalizedClientOptions } from './normalize.js';
import { redactError, secretForms } from '../../internal/redact.js';
import type { RawResponse } from './responses.js';
import { startAttempt } from './signals.js';

/** A request of one operation, before it is put on the wire. */
export interface OperationRequest {
  readonly operation: OperationName;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Form fields (POST) or query parameters (GET), snake_case, in the spec's order. */
  readonly params: Readonly<Record<string, string>>;
}

// Error messages of fetch implementations that mean "no HTTP answer" (undici, browsers,
// node-fetch-likes); anything else thrown by fetch is treated as a bug and not wrapped.
function isNetworkFailure(error: unknown): boolean {
  // Our own InvalidArgumentError is a TypeError too, but a bad argument is no network failure.
  if (error instanceof TypeError) return !(error instanceof LineTokenError);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code);
}

/**
 * Sends `request` once. Resolves with the answer, whatever its status; rejects with
 * the caller's abort reason, a {@link LineTimeoutError}, a {@link LineNetworkError}
 * (cause kept, secrets redacted from it) or, for a failure that is none of these, the
 * original error (redacted only if it mentions a secret). `secrets` are the raw values
 * this request carries; their encoded forms are only worked out if an error needs them.
 */
export async function sendOnce(
  config: NormalizedClientOptions,
  request: OperationRequest,
  callerSignal: AbortSignal | undefined,
  secrets: readonly string[],
): Promise<RawResponse> {
  callerSignal?.throwIfAborted();
  const encoded = new URLSearchParams(request.params).toString();
  const headers: Record<string, string> = {
    accept: 'application/json',
    'user-agent': config.userAgent,
  };
  let path = request.path;
  let body: string | undefined;
  if (request.method === 'GET') {
    path += `?${encoded}`;
  } else {
    // Every POST of this API takes a form body (spec: application/x-www-form-urlencoded).
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = encoded;
  }

  const attempt = startAttempt(
    callerSignal,
    config.timeoutMs,
    () => new DOMException(`no answer within ${config.timeoutMs} ms`, 'TimeoutError'),
  );
  try {
    // One guard for headers and body alike: a fetch that ignores its signal must not be
    // able to hang us past the timeout.
    return await attempt.run(async () => {
      // Taken before the request leaves, so expiresAt errs early whatever the latency.
      const sentAt = config.now();
      const response = await config.wire({
        method: request.method,
        baseUrl: config.baseUrl,
        path,
        headers,
        body,
        cancel: attempt,
      });
      return {
        operation: request.operation,
        status: response.status,
        headers: response.headers,
        body: response.body,
        sentAt,
      };
    });
  } catch (error) {
    if (callerSignal?.aborted) throw callerSignal.reason;
    if (attempt.timedOut) {
      throw new LineTimeoutError(request.operation, config.timeoutMs, {
        cause: attempt.reason,
      });
    }
    const forms = secretForms(secrets);
    if (isNetworkFailure(error)) {
      throw new LineNetworkError(request.operation, { cause: redactError(error, forms) });
    }
    // Not ours to classify (likely a bug), so not retried; only scrubbed of secrets.
    throw redactError(error, forms);
  } finally {
    attempt.dispose();
  }
}
