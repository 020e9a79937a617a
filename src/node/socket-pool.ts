/**
 * Kept-alive connections to one origin, for the Node wire: what `node:http` calls an agent.
 *
 * `node:http` asks its agent for a socket through `addRequest(req)`, answered by
 * `req.onSocket(socket)`, and tells it a response has ended on a kept-alive connection by
 * emitting `'free'` on the socket. Node's own `Agent` does this for any origin and option
 * set: per request it copies the options into a dictionary object, names the origin twice,
 * resets the socket's async ids and arms a per-request timeout listener. Side by side over
 * loopback, a plain `node:http` client on Node's `Agent` took about 35 µs more CPU per
 * request, and about 35 µs more time, than the same client on a pool that does only what
 * one origin needs (0.65–0.70 of the CPU, 0.76–0.85 of the time).
 *
 * The parser, the request and response streams and TLS stay Node's; this class only decides
 * which socket a request gets: an idle one (last in, first out), a new one while the origin
 * has fewer than `maxSockets`, or a place in a first-in, first-out queue. An idle socket is
 * unreferenced (it never holds the process open) and closed after `idleMs`.
 *
 * @module
 */
import { AsyncResource } from 'node:async_hooks';
import type { ClientRequest } from 'node:http';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';

/** Where a pool connects to and how many connections it keeps. */
export interface SocketPoolOptions {
  readonly tls: boolean;
  /** A host name or an IP address (an IPv6 one without brackets). */
  readonly host: string;
  readonly port: number;
  /** Connections open at once, idle or busy; further requests wait their turn. */
  readonly maxSockets: number;
  /** An idle connection is closed after this long. */
  readonly idleMs: number;
  /**
   * Extra TLS options, for tests (a private CA). The wire passes none: `tls.connect`'s
   * defaults hold, `NODE_EXTRA_CA_CERTS` and the system store included.
   */
  readonly tlsOptions?: ConnectionOptions;
}

/** A request waiting for a connection, with the async context it was made in. */
interface Waiting {
  readonly req: ClientRequest;
  readonly context: AsyncResource;
}

// An idle connection is kept this much less than a server's `Keep-Alive: timeout=` says,
// as Node's agent does, so no request is written on one the server is closing.
const KEEP_ALIVE_MARGIN_MS = 1_000;
// TCP keep-alive probes on our connections, as Node's agent sets them. tls.connect hands
// these to its TCP socket, though its types leave them out.
interface TcpKeepAlive {
  readonly keepAlive: boolean;
  readonly keepAliveInitialDelay: number;
}
const TCP_KEEP_ALIVE: TcpKeepAlive = { keepAlive: true, keepAliveInitialDelay: 1_000 };

// Shared by every idle socket: an error while idle (the server reset it) ends the socket,
// which then leaves the pool on 'close'. Without a listener the error would crash.
function onIdleError(this: Socket): void {
  this.destroy();
}

/** The kept-alive connections to one origin; given to `http.request` as its `agent`. */
export class SocketPool {
  /** Read by `node:http`: requests go out with `Connection: keep-alive`. */
  readonly keepAlive = true;
  /** Read by `node:http`, which refuses a request of another protocol. */
  readonly protocol: 'http:' | 'https:';
  /** Read by `node:http` for a request without a port. */
  readonly defaultPort: number;
  /** Connections open at once at most; `node:http` reads it with `keepAlive`. */
  readonly maxSockets: number;

  readonly #options: SocketPoolOptions;
  readonly #idle: Socket[] = [];
  readonly #waiting: Waiting[] = [];
  /** Sockets open or opening, idle or busy. */
  #open = 0;
  /** How long an idle connection is kept: `idleMs`, or less if the server says so. */
  #idleMs: number;
  /** The latest TLS session the server gave, to resume the next connection with. */
  #session: Buffer | undefined;

  constructor(options: SocketPoolOptions) {
    this.#options = options;
    this.protocol = options.tls ? 'https:' : 'http:';
    this.defaultPort = options.tls ? 443 : 80;
    this.maxSockets = options.maxSockets;
    this.#idleMs = options.idleMs;
  }

  /** Connections open or opening (for tests). */
  get openSockets(): number {
    return this.#open;
  }

  /** Requests waiting for a connection (for tests). */
  get waitingRequests(): number {
    return this.#waiting.length;
  }

  /** Called by `node:http` for each request: hands it a socket now or once one is free. */
  addRequest(req: ClientRequest): void {
    let socket = this.#idle.pop();
    // One destroyed while idle leaves on its 'close', which comes a tick later.
    while (socket?.destroyed) socket = this.#idle.pop();
    if (socket !== undefined) {
      socket.removeListener('error', onIdleError);
      socket.ref();
      req.reusedSocket = true;
      req.onSocket(socket);
    } else if (this.#open < this.maxSockets) {
      req.onSocket(this.#connect());
    } else {
      this.#waiting.push({ req, context: new AsyncResource('LineTokenQueuedRequest') });
    }
  }

  /**
   * Applies a server's `Keep-Alive` header (`timeout=<seconds>`): idle connections are kept
   * for less than it says, or not at all if that leaves no time.
   */
  serverKeepAlive(header: string): void {
    const match = /(?:^|[\s,])timeout\s*=\s*(\d+)/i.exec(header);
    if (match === null) return;
    const serverMs = Number(match[1]) * 1000 - KEEP_ALIVE_MARGIN_MS;
    this.#idleMs = Math.min(this.#idleMs, Math.max(0, serverMs));
  }

  #connect(): Socket {
    const { tls, host, port, tlsOptions } = this.#options;
    this.#open++;
    let socket: Socket;
    if (tls) {
      const options: ConnectionOptions & TcpKeepAlive = {
        ...tlsOptions,
        host,
        port,
        // SNI takes a name, never an address (RFC 6066).
        servername: isIP(host) === 0 ? host : undefined,
        session: this.#session,
        ...TCP_KEEP_ALIVE,
      };
      const tlsSocket: TLSSocket = connectTls(options);
      tlsSocket.on('session', (session: Buffer) => {
        this.#session = session;
      });
      socket = tlsSocket;
    } else {
      socket = connectTcp({ host, port, ...TCP_KEEP_ALIVE });
    }
    socket.setNoDelay(true);
    // Always armed, as Node's agent does: re-arming it per request would cost more than the
    // refresh each read and write gives it.
    socket.setTimeout(this.#idleMs);
    socket.on('free', () => this.#release(socket));
    socket.on('timeout', () => {
      // A busy socket is the request's business: its own timeout cancels it.
      if (this.#idle.includes(socket)) socket.destroy();
    });
    socket.on('close', (hadError: boolean) => {
      this.#open--;
      const at = this.#idle.indexOf(socket);
      if (at >= 0) this.#idle.splice(at, 1);
      // A session the server may no longer take is not offered again.
      if (hadError && tls) this.#session = undefined;
      // Requests waiting on a full pool get a new connection in this one's place.
      if (this.#waiting.length > 0 && this.#open < this.maxSockets) this.#release(this.#connect());
    });
    return socket;
  }

  /** `socket` is free (a request is done, or it is new): lent to the next waiting request,
   * kept idle, or closed. */
  #release(socket: Socket): void {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const next = this.#waiting.shift();
    if (next !== undefined) {
      // Lent in the async context the request was made in, not this socket's last one. A
      // request cancelled while it waited takes the socket too, as with Node's agent: it
      // fails at once with its reason and hands the socket back ('free').
      next.context.runInAsyncScope(() => next.req.onSocket(socket));
    } else if (this.#idleMs === 0) {
      socket.destroy();
    } else {
      if (socket.timeout !== this.#idleMs) socket.setTimeout(this.#idleMs);
      socket.unref();
      socket.once('error', onIdleError);
      this.#idle.push(socket);
    }
  }
}
