/**
 * The emulator's HTTP front: routing, strict parsing, faults, request ids and log lines.
 * Any request gets a well-formed HTTP answer with a JSON body (or revoke's empty 200; the
 * dashboard page is HTML), never a 500 from a parsing slip and never a hang.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ADMIN_PREFIX, handleAdmin } from '../admin-routes.js';
import type { EmulatorCore } from './core.js';
import { refuseAdminRequest } from './admin-guard.js';
import { flushAnswers, readBody, sendAnswer, type Stamp } from './http.js';
import { messagingRoute, NOT_EMULATED } from '../messaging.js';
import { OPERATIONS } from '../operations.js';
import * as R from './responses.js';
import { isDashboardPath, serveDashboard } from '../dashboard/serve.js';
import type { Log } from './log-line.js';
import {
  answerNow,
  Exchange,
  failed,
  finishLater,
  serveMessaging,
  serveOperation,
} from './exchange.js';

async function handleAdminRequest(
  core: EmulatorCore,
  adminHosts: ReadonlySet<string>,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: string,
  stamp: Stamp,
): Promise<number | 'reset'> {
  // For this machine's tests only: no web page may drive it (CSRF, DNS rebinding).
  const refusal = refuseAdminRequest(req, adminHosts);
  if (refusal) {
    req.resume();
    sendAnswer(res, stamp, refusal);
    return refusal.status;
  }
  const read = await readBody(req);
  if (read.kind === 'aborted') return 'reset';
  if (read.kind === 'too-large') {
    sendAnswer(res, stamp, R.adminError(400, 'request body too large'), read.closeConnection);
    return 400;
  }
  const answer = await handleAdmin(core, req.method ?? '', path, read.body, query);
  sendAnswer(res, stamp, answer);
  return answer.status;
}

/**
 * Creates (without starting) the HTTP server of an emulator. `adminHosts`: the names its
 * admin API answers under besides localhost and IP addresses.
 */
export function createEmulatorServer(
  core: EmulatorCore,
  log: Log,
  adminHosts: ReadonlySet<string> = new Set(),
): Server {
  const server = createServer((req, res) => {
    const ex = new Exchange(core, log, req, res);
    try {
      const path = ex.path;
      const op = OPERATIONS.get(path);
      if (op) return serveOperation(ex, op);
      const messaging = messagingRoute(path);
      if (messaging === 'not-emulated') {
        req.resume();
        answerNow(ex, NOT_EMULATED);
      } else if (messaging) serveMessaging(ex, messaging);
      else if (path.startsWith(ADMIN_PREFIX)) {
        const work = handleAdminRequest(core, adminHosts, req, res, path, ex.query, ex);
        finishLater(
          ex,
          work.then((status) => ({ status })),
        );
      } else if (isDashboardPath(path)) {
        finishLater(
          ex,
          serveDashboard(adminHosts, req, res, ex).then((status) => ({ status })),
        );
      } else answerNow(ex, R.NOT_FOUND);
    } catch (err) {
      failed(ex, err);
    }
  });
  // Every socket, so close() never waits on a client: a half-open socket after a parse
  // error, or a request a fault holds, is ended by the emulator, not by the client's mercy.
  const sockets = new Set<Duplex>();
  server.on('connection', (socket: Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  openSockets.set(server, sockets);
  server.keepAliveTimeout = 5_000;
  server.on(
    'clientError',
    (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
      // The answer to a request before the bytes that failed to parse goes first.
      flushAnswers();
      // Requests Node cannot even parse still get a JSON answer when the socket can take one
      // (with no body after a HEAD, where a body would read as garbage).
      if (err.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      const head = err.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
      const body = head ? '' : JSON.stringify({ message: 'Bad request' });
      // Closed once written: the server is half-open by default and would otherwise keep the
      // socket until the client hangs up.
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/json\r\n` +
          `x-line-request-id: ${randomUUID()}\r\ncontent-length: ${head ? 0 : Buffer.byteLength(body)}\r\n\r\n${body}`,
        () => socket.destroy(),
      );
    },
  );
  return server;
}

const openSockets = new WeakMap<Server, Set<Duplex>>();

/**
 * Stops a server made by {@link createEmulatorServer}: no new connections, and every open
 * one destroyed at once (a client mid-request sees a reset, as when a real server goes away).
 */
export function stopEmulatorServer(server: Server): Promise<void> {
  flushAnswers();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
    for (const socket of openSockets.get(server) ?? []) socket.destroy();
  });
}
