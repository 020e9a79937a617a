/**
 * Checks {@link ClientOptions} once, at construction, into a complete normalized object,
 * so the request path never re-validates or falls back to defaults. The checks and the
 * defaults are the options spec's (spec.ts).
 *
 * @module
 */
import type { ClientOptions, RetryOptions } from '../options.js';
import { defaultWire, TRANSPORT_NAME } from '#transport';
import { fetchWire, type Wire } from '../wire.js';
import { readOptions } from '../../internal/options-spec.js';
import type { Telemetry } from '../../telemetry/types.js';
import { CLIENT_SPEC } from './spec.js';

/** The client's options after checking: every field present and valid. */
export interface NormalizedClientOptions {
  readonly baseUrl: string;
  /** The `fetch` option as a wire, or the platform's default (see fetch-transport.ts). */
  readonly wire: Wire;
  /** `fetch` when the option was given, else the default wire's name. */
  readonly transport: string;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly retry: Readonly<RetryOptions>;
  readonly now: () => number;
  /** `undefined`: no telemetry work at all. */
  readonly telemetry: Telemetry | undefined;
}

/** Checks the client's options and fills in the defaults; throws `InvalidArgumentError`. */
export function normalizeClientOptions(options: unknown): NormalizedClientOptions {
  const { fetch, ...read } = readOptions(CLIENT_SPEC, options as ClientOptions | undefined, {
    where: 'ChannelAccessTokenClient',
  });
  // A given fetch always wins; otherwise the package's `#transport` import picks Node's
  // own HTTP client under the `node` condition and the global fetch everywhere else.
  return Object.freeze({
    ...read,
    wire: fetch === undefined ? defaultWire() : fetchWire(fetch),
    transport: fetch === undefined ? TRANSPORT_NAME : 'fetch',
  });
}
