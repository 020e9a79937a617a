/**
 * The small interface the client, the token manager and the registry report through.
 * The core never imports `@opentelemetry/api` (an optional peer dependency that may be
 * absent): `openTelemetry()` from `line-token/opentelemetry` builds a {@link Telemetry}
 * over it, and without one the core does no telemetry work at all.
 *
 * @module
 */
import type { OperationName } from '../client/types.js';
import type { TokenManagerStatus } from '../manager/types.js';

/** One HTTP attempt to LINE, as the client is about to send it. Holds no secret. */
export interface TelemetryRequest {
  /** The client operation (`issueV21`, `verify`...). */
  readonly operation: OperationName;
  readonly method: 'GET' | 'POST';
  /** Origin and path, never the query string (`verifyV21` carries the token there). */
  readonly url: string;
  /** The path, a fixed string per operation (low cardinality). */
  readonly path: string;
  /** 0 for the first attempt of a call, then 1, 2... for the client's own retries. */
  readonly resendCount: number;
}

/** What the telemetry reads from LINE's answer: the status and the headers. */
export interface TelemetryResponse {
  readonly status: number;
  readonly headers: {
    /** A header's value, `null` when absent (the `Headers` of `fetch`). */
    get(name: string): string | null;
  };
}

/**
 * One refreshing manager, as the telemetry sees it: what its gauges read. Holds no
 * token: `status()` is the manager's own snapshot.
 */
export interface TelemetrySource {
  readonly family: 'v2.1' | 'stateless' | 'short-lived';
  readonly channelId: string;
  /** The manager's clock, epoch ms (a virtual one in tests). */
  readonly now: () => number;
  /** The manager's `status()`: no token in it. */
  readonly status: () => TokenManagerStatus;
  /** v2.1: the key ids of the channel's live tokens at the last check; `undefined` before one. */
  readonly liveKeyIds: () => readonly string[] | undefined;
}

/**
 * What the library reports to: made by `openTelemetry()` (`line-token/opentelemetry`);
 * implement it yourself to feed another system. Every method must be safe to call
 * concurrently and must not throw; each `run`/`send` must be called exactly once and its
 * result or rejection passed through unchanged.
 *
 * @example
 * ```ts
 * import { openTelemetry } from 'line-token/opentelemetry';
 * const telemetry = openTelemetry(); // the global providers of @opentelemetry/api
 * const manager = new TokenManager({ strategy, telemetry });
 * ```
 */
export interface Telemetry {
  /** Wraps one HTTP attempt to LINE (a client span, request metrics). */
  request<R extends TelemetryResponse>(
    request: TelemetryRequest,
    send: () => Promise<R>,
  ): Promise<R>;
  /** Wraps one refresh cycle of a manager (a span, the refresh metrics, the gauges). */
  refresh(source: TelemetrySource, run: () => Promise<void>): Promise<void>;
  /** The store the manager will use, wrapped so that its failures are counted. */
  store<S extends object>(store: S): S;
  /**
   * The hook of a registry of many channels: `read()` is called at each metrics
   * collection and reported as the length of the queue of channels waiting for their
   * turn. Returns the function that stops reporting it.
   */
  observeQueue(read: () => number): () => void;
}
