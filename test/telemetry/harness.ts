// The OpenTelemetry SDK in memory: spans in an InMemorySpanExporter, metrics collected on
// demand into an InMemoryMetricExporter, and async context on AsyncLocalStorage so that
// parent/child links across awaits are real. Plus the scan every test ends with: no
// exported span or metric may hold a secret.
import assert from 'node:assert/strict';
import { context, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
  type DataPoint,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

export interface Sdk {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider;
  readonly spans: () => ReadableSpan[];
  /** Collects now and returns every metric of the collection. */
  readonly metrics: () => Promise<MetricData[]>;
  readonly shutdown: () => Promise<void>;
}

/**
 * `temporality`: cumulative (what Prometheus reads) by default; delta where a test needs
 * to see which series a collection observed, as the SDK keeps re-exporting an
 * asynchronous series a callback stopped observing under cumulative temporality.
 */
export function startSdk(
  temporality: AggregationTemporality = AggregationTemporality.CUMULATIVE,
): Sdk {
  const spanExporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })],
  });
  const metricExporter = new InMemoryMetricExporter(temporality);
  // Collected only by forceFlush(): the interval never elapses within a test.
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    spans: () => spanExporter.getFinishedSpans(),
    async metrics() {
      metricExporter.reset();
      await reader.forceFlush();
      return metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    },
    async shutdown() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The data points of one metric whose attributes include `match`. */
export function points(
  metrics: MetricData[],
  name: string,
  match: Attributes = {},
): DataPoint<unknown>[] {
  const metric = metrics.find((m) => m.descriptor.name === name);
  if (metric === undefined) return [];
  return (metric.dataPoints as DataPoint<unknown>[]).filter((p) =>
    Object.entries(match).every(([k, v]) => p.attributes[k] === v),
  );
}

/** The sum of the values of a counter's (or gauge's) matching points. */
export function total(metrics: MetricData[], name: string, match: Attributes = {}): number {
  return points(metrics, name, match).reduce((sum, p) => sum + (p.value as number), 0);
}

/** How many values a histogram's matching points hold, and their sum. */
export function histogram(
  metrics: MetricData[],
  name: string,
  match: Attributes = {},
): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (const p of points(metrics, name, match)) {
    const h = p.value as { count: number; sum?: number };
    count += h.count;
    sum += h.sum ?? 0;
  }
  return { count, sum };
}

/** Fails if any exported span or metric holds one of `secrets` (in any attribute, name or message). */
export function assertNoSecret(
  spans: ReadableSpan[],
  metrics: MetricData[],
  secrets: Iterable<string>,
): void {
  const exported = JSON.stringify({
    spans: spans.map((s) => ({
      name: s.name,
      attributes: s.attributes,
      status: s.status,
      events: s.events,
    })),
    metrics: metrics.map((m) => ({
      name: m.descriptor.name,
      points: m.dataPoints.map((p) => p.attributes),
    })),
  });
  let checked = 0;
  for (const secret of secrets) {
    assert.ok(secret.length >= 8, 'only real secrets are scanned for');
    assert.ok(!exported.includes(secret), 'a secret reached an exported span or metric');
    checked++;
  }
  assert.ok(checked > 0, 'the scan had secrets to look for');
}
