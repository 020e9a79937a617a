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
import { boolean, custom, readOptions, type OptionsSpec } from '../internal/options-spec.js';
import { invalidOption } from '../internal/validate.js';
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

// A provider option: absent (the API's global one, read below), or an object with its
// factory method.
function provider<T>(method: string) {
  return custom((value, path): T | undefined => {
    if (value === undefined) return undefined;
    if (typeof (value as Record<string, unknown> | null)?.[method] !== 'function') {
      invalidOption(path, `a ${path} of @opentelemetry/api (with ${method}())`, value);
    }
    return value as T;
  });
}

const OPEN_TELEMETRY_SPEC = {
  tracerProvider: provider<TracerProvider>('getTracer'),
  meterProvider: provider<MeterProvider>('getMeter'),
  channelIdAttribute: boolean(true),
} satisfies OptionsSpec<OpenTelemetryOptions>;

/**
 * A {@link Telemetry} reporting to OpenTelemetry: a span per HTTP attempt to LINE and per
 * refresh cycle, and the metrics of docs/observability.md, all under `line_token.`.
 *
 * @throws `InvalidArgumentError` (of `line-token`) for an unknown or invalid option.
 */
export function openTelemetry(options?: OpenTelemetryOptions): Telemetry {
  const {
    tracerProvider,
    meterProvider,
    channelIdAttribute: withChannelId,
  } = readOptions(OPEN_TELEMETRY_SPEC, options, { where: 'openTelemetry' });
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
