/**
 * The synchronous instruments, created once per `openTelemetry()`. Against the API's
 * no-op meter (no SDK registered) each is a no-op object.
 *
 * @module
 */
import { ValueType, type Counter, type Histogram, type Meter } from '@opentelemetry/api';
import { METRIC } from './attributes.js';

// Buckets for calls to LINE and refresh cycles, seconds: a few ms on a warm connection
// up to the client's 10 s timeout and the manager's longest issue wait.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
// Retry-After values LINE sends are whole seconds, up to minutes.
const WAIT_BUCKETS = [1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];

/** The instruments the spans' code records into. */
export interface Instruments {
  readonly requestDuration: Histogram;
  readonly issues: Counter;
  readonly rateLimited: Counter;
  readonly retryAfter: Histogram;
  readonly refreshDuration: Histogram;
  readonly storeErrors: Counter;
}

/** Creates the instruments on `meter`. */
export function createInstruments(meter: Meter): Instruments {
  const seconds = (name: string, description: string, buckets: number[]): Histogram =>
    meter.createHistogram(name, {
      description,
      unit: 's',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: buckets },
    });
  const counter = (name: string, description: string, unit: string): Counter =>
    meter.createCounter(name, { description, unit, valueType: ValueType.INT });
  return {
    requestDuration: seconds(
      METRIC.requestDuration,
      'Duration of each HTTP attempt to LINE',
      DURATION_BUCKETS,
    ),
    issues: counter(
      METRIC.issues,
      'Issue attempts sent to LINE, by token family and outcome',
      '{issue}',
    ),
    rateLimited: counter(METRIC.rateLimited, 'Answers 429 (rate limited) from LINE', '{response}'),
    retryAfter: seconds(METRIC.retryAfter, 'Waits LINE asked for in Retry-After', WAIT_BUCKETS),
    refreshDuration: seconds(
      METRIC.refreshDuration,
      'Duration of each refresh cycle of a token manager, retries included',
      DURATION_BUCKETS,
    ),
    storeErrors: counter(METRIC.storeErrors, 'Failed calls to a token store', '{error}'),
  };
}
