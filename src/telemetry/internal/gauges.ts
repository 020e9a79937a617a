/**
 * The observable gauges: read at each collection from the managers that refreshed at
 * least once (their `status()`), and from the registry's queue hook. A manager stops
 * being read once closed or garbage-collected. With the channel id attribute switched
 * off, managers of one family share a series: the gauge reports the worst of them (the
 * shortest remaining lifetime, the most live or unaccounted tokens, any failing).
 *
 * @module
 */
import { ValueType, type Attributes, type Meter, type ObservableResult } from '@opentelemetry/api';
import type { TelemetrySource } from '../types.js';
import { METRIC, managerAttributes } from './attributes.js';

type Reading = (source: TelemetrySource) => number | undefined;

/** The gauges of one `openTelemetry()`. */
export class Gauges {
  readonly #sources = new Set<WeakRef<TelemetrySource>>();
  readonly #known = new WeakSet<TelemetrySource>();
  readonly #queues = new Set<() => number>();
  readonly #withChannelId: boolean;

  constructor(meter: Meter, withChannelId: boolean) {
    this.#withChannelId = withChannelId;
    const gauge = (name: string, description: string, unit: string, valueType: ValueType) =>
      meter.createObservableGauge(name, { description, unit, valueType });
    const seconds = ValueType.DOUBLE;
    const count = ValueType.INT;
    gauge(
      METRIC.remainingLifetime,
      'Time left before the current token expires',
      's',
      seconds,
    ).addCallback((r) => this.#observe(r, remainingSec, Math.min));
    gauge(
      METRIC.refreshFailing,
      '1 while the last refresh attempt failed, else 0',
      '1',
      count,
    ).addCallback((r) => this.#observe(r, failing, Math.max));
    gauge(
      METRIC.liveTokens,
      'Live v2.1 tokens of the channel (of 30): at the last check, plus the current one',
      '{token}',
      count,
    ).addCallback((r) => this.#observe(r, liveTokens, Math.max));
    gauge(
      METRIC.unaccountedTokens,
      'Live v2.1 tokens the manager cannot account for',
      '{token}',
      count,
    ).addCallback((r) => this.#observe(r, (s) => s.status().unaccountedTokens, Math.max));
    gauge(
      METRIC.registryQueue,
      'Channels waiting in the registry queue',
      '{channel}',
      count,
    ).addCallback((r) => {
      let total = 0;
      for (const read of this.#queues) total += read();
      if (this.#queues.size > 0) r.observe(total);
    });
  }

  /** Starts reading `source` (once; later calls do nothing). */
  add(source: TelemetrySource): void {
    if (this.#known.has(source)) return;
    this.#known.add(source);
    this.#sources.add(new WeakRef(source));
  }

  /** Adds a registry's queue; returns the function that removes it. */
  addQueue(read: () => number): () => void {
    const entry = (): number => read();
    this.#queues.add(entry);
    return () => this.#queues.delete(entry);
  }

  #observe(result: ObservableResult, read: Reading, worst: (a: number, b: number) => number) {
    const series = new Map<string, { attributes: Attributes; value: number }>();
    for (const ref of this.#sources) {
      const source = ref.deref();
      if (source === undefined || source.status().closed) {
        this.#sources.delete(ref);
        continue;
      }
      const value = read(source);
      if (value === undefined) continue;
      const attributes = managerAttributes(source.family, source.channelId, this.#withChannelId);
      const key = JSON.stringify(attributes);
      const seen = series.get(key);
      series.set(key, { attributes, value: seen === undefined ? value : worst(seen.value, value) });
    }
    for (const { attributes, value } of series.values()) result.observe(value, attributes);
  }
}

function remainingSec(source: TelemetrySource): number | undefined {
  const { expiresAt } = source.status();
  if (expiresAt === undefined || !Number.isFinite(expiresAt)) return undefined;
  return Math.max(0, expiresAt - source.now()) / 1000;
}

// The live tokens at the last check, plus the current one when it was issued after it.
function liveTokens(source: TelemetrySource): number | undefined {
  const ids = source.liveKeyIds();
  if (ids === undefined) return undefined;
  const { keyId } = source.status();
  return keyId === undefined || ids.includes(keyId) ? ids.length : ids.length + 1;
}

// Failing: the manager is backing off after a failed attempt, or gave up.
function failing(source: TelemetrySource): number {
  const status = source.status();
  return status.stopped || status.nextAttemptAt !== undefined ? 1 : 0;
}
