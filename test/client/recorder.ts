// A real HTTP server on 127.0.0.1 for the client's tests: it records every request and
// answers whatever the test scripted, in order. Not a mock of fetch: the client's
// requests go through the whole network stack.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, beforeEach } from 'node:test';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the server answers to one request. */
export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Drop the connection without answering. */
  destroy?: boolean;
}

export interface Recorder {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Queues answers for the next requests; once empty, `fallback` answers. */
  reply(...replies: Reply[]): void;
  /** Resolves once `count` requests have been recorded since the last reset. */
  received(count: number): Promise<void>;
  /** Forgets recorded requests and unused replies, between tests. */
  reset(): void;
  close(): Promise<void>;
}

let requestCounter = 0;

/** The n-th request's id, in LINE's shape (a UUID), as the client keeps only that shape. */
const requestIdOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Matches the ids {@link requestIdOf} makes. */
export const RECORDED_REQUEST_ID = /^00000000-0000-4000-8000-\d{12}$/;

/**
 * One recorder for a whole test file, made at the file's top level
 * (`const server = await recorderForFile()`): reset before each test, closed after the last.
 */
export async function recorderForFile(): Promise<Recorder> {
  const server = await startRecorder();
  after(() => server.close());
  beforeEach(() => server.reset());
  return server;
}

export async function startRecorder(
  fallback: Reply = { status: 500, body: { message: 'unscripted' } },
): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const queue: Reply[] = [];
  const hanging = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
      });
      for (const wake of waiters) wake();
      const reply = queue.shift() ?? fallback;
      if (reply.hang) {
        hanging.add(res);
        return;
      }
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      res.statusCode = reply.status ?? 200;
      res.setHeader('x-line-request-id', requestIdOf(++requestCounter));
      let text = '';
      if (reply.body !== undefined) {
        if (typeof reply.body === 'string') {
          text = reply.body;
        } else {
          text = JSON.stringify(reply.body);
          res.setHeader('content-type', 'application/json');
        }
      }
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
      res.end(text);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    async received(count) {
      while (requests.length < count) {
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
        });
      }
    },
    reset() {
      requests.length = 0;
      queue.length = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
