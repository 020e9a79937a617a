/**
 * The span and duration of one refresh cycle of a token manager: the family, the
 * channel id (unless switched off), the outcome, and the retries the cycle made before
 * it ended. The calls to LINE and the store inside the cycle are its children.
 *
 * @module
 */
import { SpanKind, SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';
import type { TelemetrySource } from '../types.js';
import { ATTR, errorType, managerAttributes } from './attributes.js';
import type { Instruments } from './instruments.js';

/** The span name of a refresh cycle. */
export const REFRESH_SPAN = 'line_token.refresh';

/** Runs one refresh cycle inside its span and records its duration. */
export function tracedRefresh(
  tracer: Tracer,
  instruments: Instruments,
  withChannelId: boolean,
  source: TelemetrySource,
  run: () => Promise<void>,
): Promise<void> {
  const attributes = managerAttributes(source.family, source.channelId, withChannelId);
  return tracer.startActiveSpan(
    REFRESH_SPAN,
    { kind: SpanKind.INTERNAL, attributes },
    async (span) => {
      const started = source.now();
      // Each failed attempt of the cycle counts one failure in the manager's status.
      const failuresBefore = source.status().counts.failures;
      const ended = (outcome: 'success' | 'failure', error?: unknown): void => {
        const failures = source.status().counts.failures - failuresBefore;
        const retries = Math.max(0, outcome === 'success' ? failures : failures - 1);
        const metric: Attributes = { ...attributes, [ATTR.outcome]: outcome };
        if (error !== undefined) metric['error.type'] = errorType(error);
        span.setAttributes({ ...metric, [ATTR.retries]: retries });
        if (error !== undefined) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(metric['error.type']) });
        }
        instruments.refreshDuration.record(Math.max(0, source.now() - started) / 1000, metric);
        span.end();
      };
      try {
        await run();
        ended('success');
      } catch (error) {
        ended('failure', error);
        throw error;
      }
    },
  );
}
