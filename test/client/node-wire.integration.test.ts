// The client's default wire on Node.js (node:http on keep-alive agents): picked without a
// `fetch` option, set aside by one; a timeout or a caller's abort closes the socket of a
// request the server holds; sequential calls share one connection; sockets per origin are
// bounded. Real loopback servers; each waits on events, never on the clock.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import {
  createServer,
  type ClientRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test, type TestContext } from 'node:test';

import { CLIENT_DEFAULTS, ChannelAccessTokenClient, LineTimeoutError } from '../../src/index.js';
import { httpWire, MAX_SOCKETS_PER_ORIGIN } from '../../src/node/http-wire.js';
import { failure, OK, TOKEN } from './helpers.js';
import { childFor, closeAfter, closeServer, defer } from '../fixtures.js';

const TRANSPORT = Symbol.for('line-token.transport');
// A hang guard for event waits: a broken wire fails the test instead of stalling it.
const guard = () => ({ signal: AbortSignal.timeout(60_000) });

interface HeldRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

/** A server that holds every request until the test answers it, and counts connections. */
async function holdingServer() {
  const held: HeldRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((req, res) => {
    held.push({ req, res });
    server.emit('held', held.length);
  });
  server.on('connection', (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    held,
    get connections() {
      return connections;
    },
    get openSockets() {
      return sockets.size;
    },
    /** Resolves once `count` requests are held. */
    async heldAt(count: number): Promise<void> {
      while (held.length < count) await once(server, 'held', guard());
    },
    answer(entry: HeldRequest): void {
      entry.res.setHeader('content-type', 'application/json');
      entry.res.end(JSON.stringify(OK.body));
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

type Holding = Awaited<ReturnType<typeof holdingServer>>;

/**
 * The client-side requests node:http starts during the test, seen through Node's own
 * diagnostics channel. The server would also see an abandoned connection close, but only
 * once the agent's idle timeout ends it: the client's own socket tells at once.
 */
function clientRequests(t: TestContext): ClientRequest[] {
  const started: ClientRequest[] = [];
  const onStart = (message: unknown) =>
    started.push((message as { request: ClientRequest }).request);
  subscribe('http.client.request.start', onStart);
  t.after(() => unsubscribe('http.client.request.start', onStart));
  return started;
}

describe("the Node wire (node:http, the client's default on Node)", () => {
  let server: Holding;
  before(async () => {
    server = await holdingServer();
  });
  after(() => server.close());

  test('is the default on Node; a fetch option wins over it', async () => {
    const byDefault = new ChannelAccessTokenClient({ baseUrl: server.url });
    assert.equal((byDefault as unknown as Record<symbol, unknown>)[TRANSPORT], 'node:http');
    let fetched = 0;
    const withFetch = new ChannelAccessTokenClient({
      baseUrl: server.url,
      fetch: (url, init) => {
        fetched++;
        return fetch(url, init);
      },
    });
    assert.equal((withFetch as unknown as Record<symbol, unknown>)[TRANSPORT], 'fetch');
    const call = withFetch.verifyV21({ accessToken: TOKEN });
    await server.heldAt(server.held.length + 1);
    server.answer(server.held.at(-1)!);
    await call;
    assert.equal(fetched, 1);
  });

  test('a timeout rejects with LineTimeoutError and closes the socket', async (t) => {
    // The client's timer is mocked and fired once the server holds the request, so the
    // timeout cannot strike before the request has left, however busy the machine.
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const client = new ChannelAccessTokenClient({
      baseUrl: server.url,
      timeoutMs: 50,
      retry: false,
    });
    const requests = clientRequests(t);
    const before = server.held.length;
    const call = failure(client.verifyV21({ accessToken: TOKEN }));
    await server.heldAt(before + 1);
    t.mock.timers.tick(50);
    const error = await call;
    assert.ok(error instanceof LineTimeoutError, `got ${String(error)}`);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.socket?.destroyed, true, 'the socket is destroyed when it rejects');
    const { req } = server.held.at(-1)!;
    if (!req.socket.destroyed) await once(req.socket, 'close', guard());
    assert.ok(req.socket.destroyed, 'the held request lost its connection');
  });

  test("a caller's abort rejects with its reason and closes the socket", async (t) => {
    const client = new ChannelAccessTokenClient({ baseUrl: server.url, retry: false });
    const controller = new AbortController();
    const requests = clientRequests(t);
    const before = server.held.length;
    const call = failure(client.verifyV21({ accessToken: TOKEN }, { signal: controller.signal }));
    await server.heldAt(before + 1);
    const { req } = server.held.at(-1)!;
    const reason = new Error('caller gave up');
    controller.abort(reason);
    assert.equal(await call, reason);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.socket?.destroyed, true, 'the socket is destroyed when it rejects');
    if (!req.socket.destroyed) await once(req.socket, 'close', guard());
    assert.ok(req.socket.destroyed, 'the held request lost its connection');
  });

  test('writes Host, the client headers and Content-Length once each, and keeps alive', async () => {
    const before = server.held.length;
    const call = new ChannelAccessTokenClient({ baseUrl: server.url }).issueStateless({
      channelId: '1234567890',
      channelSecret: 'a-secret',
    });
    await server.heldAt(before + 1);
    const entry = server.held.at(-1)!;
    const raw = entry.req.rawHeaders;
    const pairs = Array.from({ length: raw.length / 2 }, (_, i) => [
      raw[2 * i]!.toLowerCase(),
      raw[2 * i + 1]!,
    ]);
    const body = 'grant_type=client_credentials&client_id=1234567890&client_secret=a-secret';
    assert.deepEqual(pairs.sort(), [
      ['accept', 'application/json'],
      ['connection', 'keep-alive'],
      ['content-length', String(body.length)],
      ['content-type', 'application/x-www-form-urlencoded'],
      ['host', new URL(server.url).host],
      ['user-agent', CLIENT_DEFAULTS.userAgent],
    ]);
    server.answer(entry);
    await call;
  });

  test('an answer read in many chunks, split inside characters, is decoded whole', async (t) => {
    // 300,000 bytes of 3-byte characters: the socket is read 64 KiB at a time, and 65,536
    // is no multiple of 3, so chunk boundaries fall inside characters.
    const text = '日'.repeat(100_000);
    const own = closeAfter(t, await holdingServer());
    const cancel = { signal: new AbortController().signal, onCancel: () => {} };
    const answer = httpWire({
      method: 'GET',
      baseUrl: own.url,
      path: '/big',
      headers: { accept: 'application/json' },
      body: undefined,
      cancel,
    });
    await own.heldAt(1);
    own.held[0]!.res.end(JSON.stringify({ text }));
    const { status, body } = await answer;
    assert.equal(status, 200);
    assert.equal((JSON.parse(body) as { text: string }).text, text);
  });

  test('sequential calls reuse one kept-alive connection', async (t) => {
    const own = closeAfter(t, await holdingServer());
    const client = new ChannelAccessTokenClient({ baseUrl: own.url });
    for (let i = 1; i <= 3; i++) {
      const call = client.verifyV21({ accessToken: TOKEN });
      await own.heldAt(i);
      own.answer(own.held[i - 1]!);
      await call;
    }
    assert.equal(own.connections, 1);
  });

  test(`at most ${MAX_SOCKETS_PER_ORIGIN} sockets per origin; the rest queue`, async (t) => {
    const own = closeAfter(t, await holdingServer());
    const client = new ChannelAccessTokenClient({ baseUrl: own.url });
    const total = MAX_SOCKETS_PER_ORIGIN + 8;
    const calls = Array.from({ length: total }, () => client.verifyV21({ accessToken: TOKEN }));
    await own.heldAt(MAX_SOCKETS_PER_ORIGIN);
    assert.equal(own.connections, MAX_SOCKETS_PER_ORIGIN);
    // Each answer frees a socket for a queued request, which arrives on that connection.
    for (let answered = 0; answered < total; answered++) {
      await own.heldAt(answered + 1);
      own.answer(own.held[answered]!);
    }
    await Promise.all(calls);
    assert.equal(own.connections, MAX_SOCKETS_PER_ORIGIN);
  });

  test("a server's Keep-Alive timeout is honoured: under a second left, no reuse", async (t) => {
    const own = closeAfter(t, await holdingServer());
    const client = new ChannelAccessTokenClient({ baseUrl: own.url });
    for (let i = 1; i <= 2; i++) {
      const call = client.verifyV21({ accessToken: TOKEN });
      await own.heldAt(i);
      own.held[i - 1]!.res.setHeader('keep-alive', 'timeout=1');
      own.answer(own.held[i - 1]!);
      await call;
    }
    assert.equal(own.connections, 2);
  });

  test('speaks HTTPS to a server whose CA is in NODE_EXTRA_CA_CERTS, with SNI and reuse', async (t) => {
    // The production path (api.line.me is HTTPS), in a child: Node reads
    // NODE_EXTRA_CA_CERTS at start. tls/ holds a test-only certificate for localhost.
    const cert = fileURLToPath(new URL('tls/localhost-cert.pem', import.meta.url));
    const key = fileURLToPath(new URL('tls/localhost-key.pem', import.meta.url));
    const servernames: Array<string | false | null> = [];
    const server = createHttpsServer(
      { cert: readFileSync(cert), key: readFileSync(key) },
      (_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(OK.body));
      },
    );
    server.on('secureConnection', (socket: TLSSocket) => servernames.push(socket.servername));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    defer(t, () => closeServer(server));
    const baseUrl = `https://localhost:${(server.address() as AddressInfo).port}`;
    const index = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const script = `
      import { ChannelAccessTokenClient } from ${JSON.stringify(index)};
      const client = new ChannelAccessTokenClient({ baseUrl: ${JSON.stringify(baseUrl)} });
      for (let i = 0; i < 2; i++) {
        const { clientId } = await client.verifyV21({ accessToken: 'a-token' });
        console.log(clientId);
      }`;
    const child = childFor(
      t,
      spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const [code] = await once(child, 'exit', guard());
    assert.equal(code, 0, err);
    assert.equal(out, `${OK.body.client_id}\n${OK.body.client_id}\n`);
    assert.deepEqual(servernames, ['localhost'], 'one connection, named by SNI');
  });
});
