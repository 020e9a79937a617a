/**
 * The span and metrics of one HTTP attempt to LINE, after OpenTelemetry's HTTP client
 * semantic conventions: a CLIENT span per attempt named `{method} {path}`, with
 * `http.request.method`, `server.address`, `server.port`, `url.full` (no query: the
 * `verifyV21` query carries the token), `http.response.status_code`, `error.type` and
 * `http.request.resend_count` on the client's own retries. LINE's `x-line-request-id` is
 * recorded as the conventions name a response header.
 *
 * @module
 */
import {
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { parseRetryAfter } from '../../internal/retry-after.js';
import { classifyFailure } from '../../internal/failure.js';
import type { TelemetryRequest, TelemetryResponse } from '../types.js';
import { ATTR, errorType, familyOf } from './attributes.js';
import type { Instruments } from './instruments.js';

/** What a request's attributes start from: fixed per operation and origin. */
function baseAttributes(request: TelemetryRequest): Attributes {
  const url = new URL(request.url);
  const port =
    url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number.parseInt(url.port, 10);
  const attributes: Attributes = {
    'http.request.method': request.method,
    'server.address': url.hostname,
    'server.port': port,
    'url.full': request.url,
    [ATTR.operation]: request.operation,
  };
  if (request.resendCount > 0) attributes['http.request.resend_count'] = request.resendCount;
  return attributes;
}

// The issue outcome of an attempt: an answer's status, or where a failure leaves the issue.
function issueOutcome(status: number | undefined, error: unknown): string {
  if (status !== undefined) {
    if (status >= 200 && status <= 299) return 'issued';
    if (status === 429) return 'rate_limited';
    return status >= 500 ? 'ambiguous' : 'refused';
  }
  return classifyFailure(error)?.kind.replace('-', '_') ?? 'other';
}

function answered(span: Span, attributes: Attributes, response: TelemetryResponse): void {
  attributes['http.response.status_code'] = response.status;
  if (response.status >= 400) attributes['error.type'] = String(response.status);
  const requestId = response.headers.get('x-line-request-id');
  // LINE's id is a short token of hex digits; anything else is not recorded.
  if (requestId !== null && /^[0-9A-Za-z-]{1,64}$/.test(requestId)) {
    span.setAttribute(ATTR.requestId, [requestId]);
  }
}

/** Runs one attempt inside its span and records its metrics. */
export async function tracedRequest<R extends TelemetryResponse>(
  tracer: Tracer,
  instruments: Instruments,
  request: TelemetryRequest,
  send: () => Promise<R>,
): Promise<R> {
  const attributes = baseAttributes(request);
  const name = `${request.method} ${request.path}`;
  return tracer.startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const started = performance.now();
    let response: R | undefined;
    let failure: unknown;
    try {
      response = await send();
      answered(span, attributes, response);
      return response;
    } catch (error) {
      failure = error;
      attributes['error.type'] = errorType(error);
      throw error;
    } finally {
      record(instruments, request, attributes, response, failure, started);
      const errorTypeValue = attributes['error.type'];
      span.setAttributes(attributes);
      if (errorTypeValue !== undefined) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(errorTypeValue) });
      }
      span.end();
    }
  });
}

function record(
  instruments: Instruments,
  request: TelemetryRequest,
  attributes: Attributes,
  response: TelemetryResponse | undefined,
  failure: unknown,
  started: number,
): void {
  const metricAttributes: Attributes = {
    [ATTR.operation]: request.operation,
    'http.request.method': request.method,
    'server.address': attributes['server.address'],
  };
  if (response !== undefined) metricAttributes['http.response.status_code'] = response.status;
  if (attributes['error.type'] !== undefined)
    metricAttributes['error.type'] = attributes['error.type'];
  instruments.requestDuration.record((performance.now() - started) / 1000, metricAttributes);
  const family = familyOf(request.operation);
  if (family !== undefined) {
    instruments.issues.add(1, {
      [ATTR.family]: family,
      [ATTR.outcome]: issueOutcome(response?.status, failure),
    });
  }
  if (response?.status === 429) {
    const operation = { [ATTR.operation]: request.operation };
    instruments.rateLimited.add(1, operation);
    const waitMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    if (waitMs !== undefined) instruments.retryAfter.record(waitMs / 1000, operation);
  }
}
