/**
 * The client's wire on Node.js: `node:http`/`node:https` on kept-alive connections, one pool
 * per base URL shared by every client of the process (socket-pool.ts, in place of Node's
 * `Agent`). Measured against fetch (undici) on the same client (bench/client.bench.ts), it
 * costs about half the CPU per request: no WHATWG Request/Response/Headers objects, no
 * stream adapters, and no per-request AbortController, WeakRef and FinalizationRegistry
 * entry that undici adds when a signal is given.
 *
 * On cancellation (the client's timeout or the caller's abort) the request is destroyed,
 * and with it its socket, so a server that holds the request never keeps a connection of
 * ours. It is told through `onCancel`, not given an `AbortSignal`: `node:http` wires a
 * signal into its streams' abort plumbing, about 35 µs of CPU per request, a sixth of the
 * whole exchange (measured beside a timer that destroys the request).
 *
 * @module
 */
import { request as httpRequest, type Agent, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HeaderReader, Wire, WireRequest, WireResponse } from '../client/wire.js';
import { SocketPool } from './socket-pool.js';

/**
 * Sockets per origin. Bounded so a burst of calls queues on a few connections instead of
 * opening hundreds at LINE; 64 keeps a manager fleet's or a bench's 64 calls in flight
 * without queueing.
 */
export const MAX_SOCKETS_PER_ORIGIN = 64;
/**
 * An idle socket is closed after this long. Below Node's own server keep-alive (5 s), so we
 * close first and never write a request on a socket the server is closing.
 */
const IDLE_SOCKET_MS = 4_000;

/** A base URL taken apart once, with its connections; a client keeps one base URL. */
interface Origin {
  readonly https: boolean;
  readonly hostname: string;
  readonly port: number;
  /** The Host header: host and port (not the scheme's default), an IPv6 literal bracketed. */
  readonly host: string;
  readonly basePath: string;
  /** Shared by every client of the process with this base URL. */
  readonly pool: SocketPool;
}

const origins = new Map<string, Origin>();
// Past this many base URLs the table starts over; a dropped pool's idle sockets close on
// their idle timeout, its busy ones finish their requests.
const MAX_ORIGINS = 32;

function originOf(baseUrl: string): Origin {
  let origin = origins.get(baseUrl);
  if (origin === undefined) {
    const url = new URL(baseUrl);
    const https = url.protocol === 'https:';
    // http.request and net.connect want an IPv6 literal without its brackets.
    const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = url.port === '' ? (https ? 443 : 80) : Number(url.port);
    origin = {
      https,
      hostname,
      port,
      host: url.host,
      basePath: url.pathname === '/' ? '' : url.pathname,
      pool: new SocketPool({
        tls: https,
        host: hostname,
        port,
        maxSockets: MAX_SOCKETS_PER_ORIGIN,
        idleMs: IDLE_SOCKET_MS,
      }),
    };
    if (origins.size >= MAX_ORIGINS) origins.clear();
    origins.set(baseUrl, origin);
  }
  return origin;
}

/** Node's lower-cased header object, read the way `Headers.get` reads. */
class IncomingHeaders implements HeaderReader {
  readonly #headers: IncomingMessage['headers'];
  constructor(headers: IncomingMessage['headers']) {
    this.#headers = headers;
  }
  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

function readBody(
  res: IncomingMessage,
  resolve: (r: WireResponse) => void,
  reject: (e: unknown) => void,
): void {
  // Bytes kept and decoded once at the end: LINE's answers come in one chunk, and a
  // stream decoder (setEncoding) would be set up and run for that one chunk.
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
  });
  res.on('end', () => {
    const body = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
    resolve({ status: res.statusCode ?? 0, headers: new IncomingHeaders(res.headers), body });
  });
  // A connection cut mid-body ('aborted', then an error or 'close' without 'end').
  res.on('error', reject);
  res.on('close', () => {
    if (!res.complete)
      reject(
        Object.assign(new Error('socket closed before the answer ended'), { code: 'ECONNRESET' }),
      );
  });
}

/** Sends one request on its base URL's kept-alive connections. */
export const httpWire: Wire = (request: WireRequest) =>
  new Promise<WireResponse>((resolve, reject) => {
    const origin = originOf(request.baseUrl);
    // Headers as a flat list, which node:http validates and writes as they are: an object
    // costs about 20 µs more per request (setHeader's bookkeeping for each name, measured
    // side by side on one keep-alive agent). A list gets no default Host, so it is ours.
    const headers = ['host', origin.host];
    for (const name in request.headers) headers.push(name, request.headers[name]!);
    if (request.body !== undefined)
      headers.push('content-length', String(Buffer.byteLength(request.body)));
    const req = (origin.https ? httpsRequest : httpRequest)(
      {
        method: request.method,
        hostname: origin.hostname,
        port: origin.port,
        path: origin.basePath + request.path,
        headers,
        // node:http takes any object with `addRequest` as its agent ("Agent-like Object" in
        // its own type error); the types know only Agent.
        agent: origin.pool as unknown as Agent,
      },
      (res) => {
        const keepAlive = res.headers['keep-alive'];
        if (typeof keepAlive === 'string') origin.pool.serverKeepAlive(keepAlive);
        readBody(res, resolve, reject);
      },
    );
    // Destroying the request destroys its socket; after the answer has ended it is a no-op,
    // so a late cancellation never touches a socket that went back to the pool.
    request.cancel.onCancel((reason) => req.destroy(reason as Error));
    req.on('error', reject);
    req.end(request.body);
  });
