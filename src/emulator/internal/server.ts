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
import {
  httpDate,
  isFormContentType,
  parseForm,
  readBody,
  sendAnswer,
  type Stamp,
} from './http.js';
import {
  handleMessaging,
  MAX_MESSAGING_BODY_BYTES,
  MESSAGING_BODY_TOO_LARGE,
  messagingRoute,
  NOT_EMULATED,
  type MessagingRoute,
} from '../messaging.js';
import { OPERATIONS, type Operation } from '../operations.js';
import * as R from './responses.js';
import type { OperationName } from '../../client/types.js';
import type { Fault, MessagingEndpoint } from '../types.js';
import { applyFault, loseAnswer } from './fault-answers.js';
import { isDashboardPath, isDashboardPoll, serveDashboard } from '../dashboard/serve.js';
import { recordRequest } from '../dashboard/request-log.js';
import { logLine, type Log } from './log-line.js';

type LostAnswer = Extract<Fault, { type: 'lost-answer' }>;

/**
 * Applies the fault rule of `name` (faults are active): waits out any latency, then either
 * answers the fault (the request is done) or says the answer is to be lost after the work.
 */
async function injectFault(
  core: EmulatorCore,
  name: OperationName | MessagingEndpoint,
  req: IncomingMessage,
  res: ServerResponse,
  stamp: Stamp,
): Promise<{ status: number | 'reset'; note: string } | { lost: LostAnswer } | undefined> {
  const decision = core.faults.decide(name);
  if (decision.latencyMs > 0) {
    // unref'd: a closed emulator must not keep a test process alive until the delay ends.
    await new Promise((resolve) => setTimeout(resolve, decision.latencyMs).unref());
  }
  if (decision.fault?.type === 'lost-answer') return { lost: decision.fault };
  if (decision.fault) {
    return {
      status: applyFault(res, req, stamp, decision.fault),
      note: `fault=${decision.fault.type}`,
    };
  }
  return undefined;
}

async function handleOperation(
  core: EmulatorCore,
  op: Operation,
  req: IncomingMessage,
  res: ServerResponse,
  query: string,
  stamp: Stamp,
): Promise<{ status: number | 'reset'; note?: string }> {
  core.count(op.name);
  if (req.method !== op.method) {
    const answer = R.methodNotAllowed(op.method);
    sendAnswer(res, stamp, answer);
    return { status: answer.status };
  }
  let body: Buffer | undefined;
  if (op.method === 'POST') {
    const read = await readBody(req);
    if (read.kind === 'aborted') return { status: 'reset', note: 'client went away' };
    if (read.kind === 'too-large') {
      sendAnswer(res, stamp, R.BODY_TOO_LARGE, read.closeConnection);
      return { status: 400 };
    }
    body = read.body;
  }
  const fault = core.faults.active ? await injectFault(core, op.name, req, res, stamp) : undefined;
  if (fault && 'status' in fault) return fault;
  const lost = fault?.lost;
  let answer: R.Answer;
  if (body !== undefined && !isFormContentType(req.headers['content-type'])) {
    answer = R.BAD_CONTENT_TYPE;
  } else {
    const params = parseForm(body ?? query);
    if (params !== undefined) stamp.params = params;
    answer = params === undefined ? R.MALFORMED_BODY : op.handle(core, params);
  }
  if (lost !== undefined) return loseAnswer(res, req, stamp, answer, lost);
  sendAnswer(res, stamp, answer);
  return { status: answer.status };
}

async function handleMessagingRequest(
  core: EmulatorCore,
  route: MessagingRoute,
  req: IncomingMessage,
  res: ServerResponse,
  query: string,
  stamp: Stamp,
): Promise<{ status: number | 'reset'; note?: string }> {
  if (req.method !== route.method) {
    const answer = R.methodNotAllowed(route.method);
    sendAnswer(res, stamp, answer);
    return { status: answer.status };
  }
  let body: Buffer | undefined;
  if (route.method === 'POST') {
    const read = await readBody(req, MAX_MESSAGING_BODY_BYTES);
    if (read.kind === 'aborted') return { status: 'reset' };
    if (read.kind === 'too-large') {
      sendAnswer(res, stamp, MESSAGING_BODY_TOO_LARGE, read.closeConnection);
      return { status: 413 };
    }
    body = read.body;
  } else req.resume();
  const fault = core.faults.active
    ? await injectFault(core, route.endpoint, req, res, stamp)
    : undefined;
  if (fault && 'status' in fault) return fault;
  const retryKey = req.headers['x-line-retry-key'];
  const answer = handleMessaging(core, route, {
    authorization: req.headers.authorization,
    contentType: req.headers['content-type'],
    retryKey: typeof retryKey === 'string' ? retryKey : undefined,
    body,
    requestId: stamp.requestId,
    query,
  });
  // The message is delivered, the client never learns it: what retry keys are for.
  if (fault?.lost !== undefined) return loseAnswer(res, req, stamp, answer, fault.lost);
  sendAnswer(res, stamp, answer);
  return { status: answer.status };
}

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
    const startedMs = log ? performance.now() : 0;
    // LINE's clock is the emulator's (virtual) one: clients may use Date to measure skew.
    const stamp: Stamp = { requestId: randomUUID(), date: httpDate(core.state.now()) };
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    const op = OPERATIONS.get(path);
    const messaging = op ? undefined : messagingRoute(path);
    const work: Promise<{ status: number | 'reset'; note?: string }> = op
      ? handleOperation(core, op, req, res, query, stamp)
      : messaging === 'not-emulated'
        ? Promise.resolve().then(() => {
            req.resume();
            sendAnswer(res, stamp, NOT_EMULATED);
            return { status: NOT_EMULATED.status };
          })
        : messaging
          ? handleMessagingRequest(core, messaging, req, res, query, stamp)
          : path.startsWith(ADMIN_PREFIX)
            ? handleAdminRequest(core, adminHosts, req, res, path, query, stamp).then((status) => ({
                status,
              }))
            : isDashboardPath(path)
              ? serveDashboard(adminHosts, req, res, stamp).then((status) => ({ status }))
              : Promise.resolve().then(() => {
                  sendAnswer(res, stamp, R.NOT_FOUND);
                  return { status: 404 };
                });
    work.then(
      ({ status, note }) => {
        if (!isDashboardPoll(path)) logLine(log, req, path, status, startedMs, stamp, note);
        recordRequest(core, req, path, status, stamp, note);
      },
      (err: unknown) => {
        // A bug of ours: answer 500 rather than hang, and log only the error's class.
        if (!res.headersSent) sendAnswer(res, stamp, R.INTERNAL_ERROR);
        else res.destroy();
        const name = err instanceof Error ? err.name : typeof err;
        logLine(log, req, path, 500, startedMs, stamp, `internal error ${name}`);
      },
    );
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
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
    for (const socket of openSockets.get(server) ?? []) socket.destroy();
  });
}
