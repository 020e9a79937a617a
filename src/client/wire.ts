/**
 * The transport boundary of the client: one function per HTTP exchange, given the
 * request already built and the attempt's cancellation, answering the status, the
 * headers and the body read to the end. The client's timeout, abort and error
 * classification sit above it (transport.ts), so every wire behaves alike: the `fetch` one
 * here, Node's own (src/node/http-wire.ts) under the package's `node` condition.
 *
 * @module
 */
import type { FetchLike } from './types.js';

/** One request, ready for the wire. */
export interface WireRequest {
  readonly method: 'GET' | 'POST';
  /** The client's `baseUrl`, no trailing slash; a wire may parse it once and reuse it. */
  readonly baseUrl: string;
  /** The path, with its query string for a GET. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** Cancels the exchange (our timeout or the caller's abort); a wire frees its connection. */
  readonly cancel: WireCancel;
}

/**
 * How a wire learns that its exchange is cancelled, in whichever form it can use. A wire
 * uses one of the two, and only the one it reads is built.
 */
export interface WireCancel {
  /** Fires on cancellation, with the reason; made on first read. */
  readonly signal: AbortSignal;
  /**
   * Calls `listener` with the reason once the exchange is cancelled (at once if it already
   * is). One listener per exchange: a second call replaces the first.
   */
  onCancel(listener: (reason: unknown) => void): void;
}

/** What the response parsers read of the headers: `Headers` has this shape. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** An answer, body read. */
export interface WireResponse {
  readonly status: number;
  readonly headers: HeaderReader;
  readonly body: string;
}

/** Sends one request and reads its answer; rejects on a network failure or an abort. */
export type Wire = (request: WireRequest) => Promise<WireResponse>;

/** The wire over a `fetch` (the `fetch` option, or the runtime's own). */
export function fetchWire(fetchImpl: FetchLike): Wire {
  return async ({ method, baseUrl, path, headers, body, cancel }) => {
    const init: Parameters<FetchLike>[1] = {
      method,
      headers: { ...headers },
      signal: cancel.signal,
    };
    if (body !== undefined) init.body = body;
    const response = await fetchImpl(baseUrl + path, init);
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
}
