// The Node wire's connection pool (src/node/socket-pool.ts), driven through node:http as the
// wire drives it: reuse, the bound and its queue, cancelled and lost requests, idle
// closing, server resets, TLS (SNI and session resumption) and async context. Real loopback
// servers, HTTP and HTTPS; every wait is on an event, never on the clock.
//
// tls/localhost-cert.pem is a self-signed test certificate for localhost and 127.0.0.1,
// valid 2000–2100; its key is in the same folder and protects nothing.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type Agent,
  type ClientRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { TLSSocket } from 'node:tls';
import { describe, test, type TestContext } from 'node:test';

import { SocketPool, type SocketPoolOptions } from '../../src/node/socket-pool.js';
import { childFor, closeServer, defer } from '../fixtures.js';

const CERT = readFileSync(new URL('tls/localhost-cert.pem', import.meta.url));
const KEY = readFileSync(new URL('tls/localhost-key.pem', import.meta.url));
const guard = () => ({ signal: AbortSignal.timeout(60_000) });
/** `promise`, or a failure after the hang guard's time. */
const within = <T>(promise: Promise<T>): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      AbortSignal.timeout(60_000).onabort = () => reject(new Error('hang guard: not settled'));
    }),
  ]);

interface Held {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/** A server that holds every request until the test answers it. */
async function holdingServer(t: TestContext, tls = false) {
  const held: Held[] = [];
  const connections: Socket[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    held.push({ req, res });
    server.emit('held');
  };
  const server: Server = tls
    ? createHttpsServer({ cert: CERT, key: KEY }, handler)
    : createServer(handler);
  // The server never closes an idle connection itself: any close is the client's.
  server.keepAliveTimeout = 0;
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    connections.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  defer(t, () => closeServer(server));
  return {
    port: (server.address() as AddressInfo).port,
    held,
    connections,
    async heldAt(count: number): Promise<void> {
      while (held.length < count) await once(server, 'held', guard());
    },
    answer(entry: Held, headers: Record<string, string> = {}): void {
      entry.res.writeHead(200, { 'content-type': 'text/plain', ...headers });
      entry.res.end(entry.req.url);
    },
    /** Waits for the `count`th request and answers it. */
    async answerAt(count: number, headers: Record<string, string> = {}): Promise<void> {
      await this.heldAt(count);
      this.answer(held[count - 1]!, headers);
    },
  };
}

function poolFor(
  server: { readonly port: number },
  options: Partial<SocketPoolOptions> = {},
): SocketPool {
  return new SocketPool({
    tls: false,
    host: '127.0.0.1',
    port: server.port,
    maxSockets: 4,
    // Longer than any test: a connection the test sees close was closed for its reason.
    idleMs: 3_600_000,
    ...options,
  });
}

interface Sent {
  readonly req: ClientRequest;
  /** The answer's body (the path asked), or the request's error. */
  readonly done: Promise<string>;
  /** The client's socket, once assigned. */
  readonly socket: Promise<Socket>;
  /** Resolves once that socket has closed, whatever error it closed on. */
  readonly closed: Promise<void>;
}

/** Sends GET `path` to `server`'s port through `pool`, as the wire does. */
function send(
  pool: SocketPool,
  server: { readonly port: number },
  path: string,
  onResponse?: () => void,
): Sent {
  const tls = pool.protocol === 'https:';
  let req!: ClientRequest;
  const done = new Promise<string>((resolve, reject) => {
    req = (tls ? httpsRequest : httpRequest)(
      {
        hostname: '127.0.0.1',
        port: server.port,
        path,
        agent: pool as unknown as Agent,
      },
      (res) => {
        onResponse?.();
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
  // Not events.once, which rejects on an 'error': a request cancelled before it had a
  // socket emits one, and so does a reset socket before its 'close'.
  const socket = new Promise<Socket>((resolve) => req.once('socket', resolve));
  const closed = socket.then(
    (s) => new Promise<void>((resolve) => s.once('close', () => resolve())),
  );
  return { req, done, socket, closed };
}

describe('the Node wire’s connection pool', () => {
  test('sequential requests share one connection, the later ones reused', async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server);
    for (let i = 1; i <= 3; i++) {
      const sent = send(pool, server, `/${i}`);
      await server.answerAt(i);
      assert.equal(await sent.done, `/${i}`);
      assert.equal(sent.req.reusedSocket, i > 1);
    }
    assert.equal(server.connections.length, 1);
    assert.equal(pool.openSockets, 1);
  });

  test('at most maxSockets connections; the other requests wait, first in first out', async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server, { maxSockets: 2 });
    const sent = [1, 2, 3, 4].map((i) => send(pool, server, `/${i}`));
    await server.heldAt(2);
    assert.equal(server.connections.length, 2);
    assert.equal(pool.waitingRequests, 2);
    const first = server.held.find((h) => h.req.url === '/1')!;
    server.answer(first);
    await server.heldAt(3);
    assert.equal(server.held[2]!.req.url, '/3', 'the first waiting request goes first');
    assert.equal(server.held[2]!.req.socket, first.req.socket, 'on the freed connection');
    server.answer(server.held.find((h) => h.req.url === '/2')!);
    await server.heldAt(4);
    server.answer(server.held[2]!);
    server.answer(server.held[3]!);
    assert.deepEqual(await Promise.all(sent.map((s) => s.done)), ['/1', '/2', '/3', '/4']);
    assert.equal(server.connections.length, 2);
    assert.equal(pool.waitingRequests, 0);
  });

  test('a request cancelled while waiting fails with its reason and takes no turn', async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server, { maxSockets: 1 });
    const a = send(pool, server, '/a');
    await server.heldAt(1);
    const b = send(pool, server, '/b');
    const reason = new Error('caller gave up');
    b.req.destroy(reason);
    const bFailed = assert.rejects(b.done, (error) => error === reason);
    const c = send(pool, server, '/c');
    assert.equal(pool.waitingRequests, 2);
    server.answer(server.held[0]!);
    assert.equal(await a.done, '/a');
    await bFailed;
    await server.heldAt(2);
    assert.equal(server.held[1]!.req.url, '/c');
    server.answer(server.held[1]!);
    assert.equal(await c.done, '/c');
    assert.equal(server.held.length, 2, 'the cancelled request never reached the server');
    assert.equal(server.connections.length, 1);
  });

  test('a connection lost while requests wait is replaced by a new one', async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server, { maxSockets: 1 });
    const a = send(pool, server, '/a');
    await server.heldAt(1);
    const b = send(pool, server, '/b');
    server.held[0]!.req.socket.destroy();
    await assert.rejects(a.done, { code: 'ECONNRESET' });
    await server.answerAt(2);
    assert.equal(await b.done, '/b');
    assert.equal(server.connections.length, 2);
    assert.equal(pool.openSockets, 1);
  });

  test('an idle connection is closed after idleMs; a busy one is not', async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server, { idleMs: 20 });
    const a = send(pool, server, '/a');
    // Listened for from the start: a socket times out once, and a busy machine could let
    // the 20 ms pass before any later listener.
    const quiet = new Promise((resolve) =>
      a.req.once('socket', (s: Socket) => s.once('timeout', resolve)),
    );
    await server.heldAt(1);
    // Answered once the client's socket has been quiet for idleMs: a busy connection stays.
    await within(quiet);
    server.answer(server.held[0]!);
    assert.equal(await a.done, '/a');
    // Idle now: closed by the client (the server never closes idle connections).
    await within(a.closed);
    assert.equal(pool.openSockets, 0);
    const b = send(pool, server, '/b');
    await server.answerAt(2);
    assert.equal(await b.done, '/b');
    assert.equal(server.connections.length, 2);
  });

  test('an idle connection does not keep the process alive', async (t) => {
    // A child with an hour of idle time: it exits only if its idle socket is unreferenced.
    const server = await holdingServer(t);
    const script = `
      import { request } from 'node:http';
      import { SocketPool } from ${JSON.stringify(fileURLToPath(new URL('../../src/node/socket-pool.ts', import.meta.url)))};
      const pool = new SocketPool({ tls: false, host: '127.0.0.1', port: ${server.port}, maxSockets: 1, idleMs: 3_600_000 });
      request({ hostname: '127.0.0.1', port: ${server.port}, path: '/child', agent: pool }, (res) => {
        res.resume();
        res.on('end', () => console.log('answered', pool.openSockets));
      }).end();`;
    const child = childFor(
      t,
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await server.answerAt(1);
    const [code] = await once(child, 'exit', guard());
    assert.equal(code, 0);
    assert.equal(out.trim(), 'answered 1');
  });

  test('an idle connection the server resets is dropped, and the next request gets a new one', async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server);
    const a = send(pool, server, '/a');
    await server.answerAt(1);
    await a.done;
    server.connections[0]!.resetAndDestroy();
    // An unhandled 'error' on the idle socket would fail this test as an uncaught exception.
    await within(a.closed);
    assert.equal(pool.openSockets, 0);
    const b = send(pool, server, '/b');
    await server.answerAt(2);
    assert.equal(await b.done, '/b');
    assert.equal(b.req.reusedSocket, false);
  });

  test('an answer with Connection: close is not kept', async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server);
    const a = send(pool, server, '/a');
    await server.answerAt(1, { connection: 'close' });
    await a.done;
    await within(a.closed);
    assert.equal(pool.openSockets, 0);
  });

  test("a server's Keep-Alive timeout shortens the idle time, to none if under a second left", async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server);
    pool.serverKeepAlive('max=100, timeout=1');
    const a = send(pool, server, '/a');
    await server.answerAt(1);
    await a.done;
    await within(a.closed);
    assert.equal(pool.openSockets, 0);
  });

  test('a waiting request is answered in its own async context', async (t) => {
    const server = await holdingServer(t);
    const pool = poolFor(server, { maxSockets: 1 });
    const als = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    const a = als.run('a', () => send(pool, server, '/a', () => seen.push(als.getStore())));
    await server.heldAt(1);
    const b = als.run('b', () => send(pool, server, '/b', () => seen.push(als.getStore())));
    server.answer(server.held[0]!);
    await a.done;
    await server.heldAt(2);
    server.answer(server.held[1]!);
    await b.done;
    assert.deepEqual(seen, ['a', 'b']);
  });

  test('a refused connection fails its request and then the waiting ones, and leaves nothing open', async () => {
    // A port nobody listens on: take one from a server, then close it.
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const to = { port: closedPort };
    const refused = poolFor(to, { maxSockets: 1 });
    const sent = [send(refused, to, '/1'), send(refused, to, '/2')];
    for (const s of sent) {
      await assert.rejects(s.done, { code: 'ECONNREFUSED' });
      await within(s.closed);
    }
    assert.equal(refused.openSockets, 0);
    assert.equal(refused.waitingRequests, 0);
  });

  describe('over TLS', () => {
    test('names the host (SNI), reuses the connection and resumes the session on the next', async (t) => {
      const server = await holdingServer(t, true);
      const pool = poolFor(server, {
        tls: true,
        host: 'localhost',
        maxSockets: 1,
        tlsOptions: { ca: CERT },
      });
      /** Whether the TLS session of the connection `path` went on was resumed. */
      const resumed = async (path: string, headers?: Record<string, string>) => {
        const sent = send(pool, server, path);
        await server.answerAt(server.held.length + 1, headers);
        await sent.done;
        return ((await sent.socket) as TLSSocket).isSessionReused();
      };
      assert.equal(await resumed('/1'), false);
      await resumed('/2', { connection: 'close' });
      assert.equal(server.connections.length, 1);
      assert.equal((server.connections[0] as TLSSocket).servername, 'localhost');
      assert.equal(await resumed('/3'), true, 'the new connection resumed the session');
      assert.equal(server.connections.length, 2);
    });

    test('a server the client does not trust is refused, and its connection closed', async (t) => {
      const server = await holdingServer(t, true);
      const pool = poolFor(server, { tls: true, host: 'localhost', maxSockets: 1 });
      const sent = send(pool, server, '/untrusted');
      await assert.rejects(sent.done, (error: NodeJS.ErrnoException) =>
        /CERT/.test(error.code ?? ''),
      );
      await within(sent.closed);
      assert.equal(pool.openSockets, 0);
      assert.equal(server.held.length, 0, 'no request reached the server');
    });

    test('sends no server name for an IP address, and warns of nothing', async (t) => {
      const server = await holdingServer(t, true);
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      t.after(() => process.off('warning', onWarning));
      const pool = poolFor(server, { tls: true, maxSockets: 1, tlsOptions: { ca: CERT } });
      const sent = send(pool, server, '/ip');
      await server.answerAt(1);
      assert.equal(await sent.done, '/ip');
      assert.equal((server.connections[0] as TLSSocket).servername, false);
      assert.deepEqual(warnings, []);
    });
  });
});
