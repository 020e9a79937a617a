/**
 * `line-token/opentelemetry`: metrics and traces through `@opentelemetry/api` (an
 * optional peer dependency: only this entry point imports it). Pass the result as the
 * `telemetry` option of a `TokenManager`, a `ChannelAccessTokenClient` or a registry.
 * Without an SDK registered, the API's no-op providers make every span and instrument a
 * no-op; without a `telemetry` option the core does no telemetry work at all.
 *
 * @example
 * ```ts
 * import { openTelemetry } from 'line-token/opentelemetry';
 * const manager = new TokenManager({ strategy, telemetry: openTelemetry() });
 * ```
 *
 * @module line-token/opentelemetry
 */
import { metrics, trace, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import { VERSION } from '../internal/version.js';
import { SCOPE } from './internal/attributes.js';
import { Gauges } from './internal/gauges.js';
import { tracedRequest } from './internal/http.js';
import { createInstruments } from './internal/instruments.js';
import { tracedRefresh } from './internal/refresh.js';
import { countedStore } from './internal/store.js';
import {
  booleanOption,
  invalidOption,
  optionsObject,
  rejectUnknownOptions,
} from '../internal/validate.js';
import type { Telemetry } from './types.js';

export type * from './types.js';
export { METRIC, ATTR } from './internal/attributes.js';
export { REFRESH_SPAN } from './internal/refresh.js';

/** Options of {@link openTelemetry}. */
export interface OpenTelemetryOptions {
  /**
   * Where spans go.
   *
   * @defaultValue the global one of `@opentelemetry/api` (`trace.getTracerProvider()`)
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go. The API's global meter provider is read once, by this call: register
   * the SDK's before calling `openTelemetry()`, or pass it here.
   *
   * @defaultValue the global one of `@opentelemetry/api` (`metrics.getMeterProvider()`)
   */
  meterProvider?: MeterProvider;
  /**
   * Whether spans and metrics carry `line_token.channel_id`. Turn it off on a platform
   * with many channels to keep the number of series bounded: the gauges then report the
   * worst manager of each family.
   *
   * @defaultValue true
   */
  channelIdAttribute?: boolean;
}

const KEYS = ['tracerProvider', 'meterProvider', 'channelIdAttribute'] as const;

// A provider option: absent, or an object with its factory method.
function provider<T>(name: string, o: Record<string, unknown>, method: string): T | undefined {
  const value = o[name];
  if (value === undefined) return undefined;
  if (typeof (value as Record<string, unknown> | null)?.[method] !== 'function') {
    invalidOption(name, `a ${name} of @opentelemetry/api (with ${method}())`, value);
  }
  return value as T;
}

/**
 * A {@link Telemetry} reporting to OpenTelemetry: a span per HTTP attempt to LINE and per
 * refresh cycle, and the metrics of docs/observability.md, all under `line_token.`.
 *
 * @throws `InvalidArgumentError` (of `line-token`) for an unknown or invalid option.
 */
export function openTelemetry(options?: OpenTelemetryOptions): Telemetry {
  const o = optionsObject('openTelemetry', options);
  rejectUnknownOptions(o, KEYS, 'openTelemetry');
  const tracerProvider = provider<TracerProvider>('tracerProvider', o, 'getTracer');
  const meterProvider = provider<MeterProvider>('meterProvider', o, 'getMeter');
  const withChannelId = booleanOption('channelIdAttribute', o['channelIdAttribute'], true);
  // Taken now. The global tracer provider forwards to an SDK registered later; the
  // global meter provider does not (the API has no proxy for it): see `meterProvider`.
  const tracer = (tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE, VERSION);
  const meter = (meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE, VERSION);
  const instruments = createInstruments(meter);
  const gauges = new Gauges(meter, withChannelId);
  return {
    request: (request, send) => tracedRequest(tracer, instruments, request, send),
    refresh(source, run) {
      gauges.add(source);
      return tracedRefresh(tracer, instruments, withChannelId, source, run);
    },
    store: (store) => countedStore(store, instruments.storeErrors),
    observeQueue: (read) => gauges.addQueue(read),
  };
}
