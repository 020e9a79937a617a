/**
 * The core's side of telemetry: the one wrapper the client calls around each attempt, and
 * the check of the `telemetry` option. Nothing here imports `@opentelemetry/api`; without
 * a `telemetry` option the attempt runs as it would without this module.
 *
 * @module
 */
import { invalidOption } from '../internal/validate.js';
import type { Telemetry, TelemetryRequest, TelemetryResponse } from './types.js';

const METHODS = ['request', 'refresh', 'store', 'observeQueue'] as const;

/** Checks a `telemetry` option: `undefined` (none) or an object with the four methods. */
export function telemetryOption(name: string, value: unknown): Telemetry | undefined {
  if (value === undefined) return undefined;
  const t = value as Record<string, unknown> | null;
  if (typeof t !== 'object' || t === null || !METHODS.every((m) => typeof t[m] === 'function')) {
    invalidOption(name, 'a Telemetry such as openTelemetry() of line-token/opentelemetry', value);
  }
  return value as Telemetry;
}

/**
 * Sends one attempt, through the telemetry when there is one. `request` is the client's
 * request description; only its non-secret fields (never `params`) are passed on.
 */
export function sendObserved<R extends TelemetryResponse>(
  telemetry: Telemetry | undefined,
  baseUrl: string,
  request: Pick<TelemetryRequest, 'operation' | 'method' | 'path'>,
  resendCount: number,
  send: () => Promise<R>,
): Promise<R> {
  if (telemetry === undefined) return send();
  const { operation, method, path } = request;
  return telemetry.request({ operation, method, path, url: baseUrl + path, resendCount }, send);
}
