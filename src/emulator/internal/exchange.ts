/**
 * One request to the token API or the Messaging API stand-in, from its first header to its
 * log entry. The common path runs synchronously from the body's last byte to the answer and
 * the log: the request's state is one object ({@link Exchange}), the body listeners are
 * shared functions, and no promise or closure is made per request. Only a request a fault
 * rule may hold (faults active), the admin API and the dashboard take the async path.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationName } from '../../client/types.js';
import {
  handleMessaging,
  MAX_MESSAGING_BODY_BYTES,
  MESSAGING_BODY_TOO_LARGE,
  type MessagingRoute,
} from '../messaging.js';
import type { Operation } from '../operations.js';
import type { Fault, MessagingEndpoint } from '../types.js';
import { recordRequest } from '../dashboard/request-log.js';
import { isDashboardPoll } from '../dashboard/serve.js';
import type { EmulatorCore } from './core.js';
import { applyFault, loseAnswer } from './fault-answers.js';
import {
  httpDate,
  isFormContentType,
  MAX_BODY_BYTES,
  parseForm,
  readBodyThen,
  sendAnswer,
  type BodyResult,
  type Stamp,
} from './http.js';
import { logLine, type Log } from './log-line.js';
import * as R from './responses.js';

/** How a request ended: the status sent (or `reset`) and the log line's note. */
export interface Outcome {
  status: number | 'reset';
  note?: string | undefined;
}

/** One request: what the handlers, the answer and the log entry need. Also its stamp. */
export class Exchange implements Stamp {
  readonly requestId = randomUUID();
  readonly date: string;
  answer?: R.Answer;
  params?: ReadonlyMap<string, string>;
  readonly startedMs: number;
  readonly path: string;
  readonly query: string;
  /** The token API operation or Messaging API route the path names, once known. */
  op: Operation | undefined;
  route: MessagingRoute | undefined;
  readonly core: EmulatorCore;
  readonly log: Log;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;

  constructor(core: EmulatorCore, log: Log, req: IncomingMessage, res: ServerResponse) {
    this.core = core;
    this.log = log;
    this.req = req;
    this.res = res;
    this.startedMs = log ? performance.now() : 0;
    // LINE's clock is the emulator's (virtual) one: clients may use Date to measure skew.
    this.date = httpDate(core.state.now());
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.path = q < 0 ? url : url.slice(0, q);
    this.query = q < 0 ? '' : url.slice(q + 1);
  }
}

/** Logs a request that was answered and adds it to the dashboard's request log. */
export function finish(ex: Exchange, status: number | 'reset', note?: string): void {
  if (!isDashboardPoll(ex.path)) logLine(ex.log, ex.req, ex.path, status, ex.startedMs, ex, note);
  recordRequest(ex.core, ex.req, ex.path, status, ex, note);
}

/** A bug of ours: answer 500 rather than hang, and log only the error's class. */
export function failed(ex: Exchange, err: unknown): void {
  // An answer already given (it may still be queued, see sendAnswer) is not followed by a
  // second one: the connection is dropped instead.
  if (!ex.res.headersSent && ex.answer === undefined) sendAnswer(ex.res, ex, R.INTERNAL_ERROR);
  else ex.res.destroy();
  const name = err instanceof Error ? err.name : typeof err;
  logLine(ex.log, ex.req, ex.path, 500, ex.startedMs, ex, `internal error ${name}`);
}

/** Finishes a request once async work (a fault, the admin API, the dashboard) is done. */
export function finishLater(ex: Exchange, work: Promise<Outcome>): void {
  work.then(
    ({ status, note }) => finish(ex, status, note),
    (err: unknown) => failed(ex, err),
  );
}

/** Sends an answer and finishes the request. */
export function answerNow(ex: Exchange, answer: R.Answer, closeConnection = false): void {
  sendAnswer(ex.res, ex, answer, closeConnection);
  finish(ex, answer.status);
}

type LostAnswer = Extract<Fault, { type: 'lost-answer' }>;

/**
 * Applies the fault rule of `name` (faults are active): waits out any latency, then either
 * answers the fault (the request is done) or says the answer is to be lost after the work.
 */
async function injectFault(
  ex: Exchange,
  name: OperationName | MessagingEndpoint,
): Promise<Required<Outcome> | { lost: LostAnswer } | undefined> {
  const decision = ex.core.faults.decide(name);
  if (decision.latencyMs > 0) {
    // unref'd: a closed emulator must not keep a test process alive until the delay ends.
    await new Promise((resolve) => setTimeout(resolve, decision.latencyMs).unref());
  }
  if (decision.fault?.type === 'lost-answer') return { lost: decision.fault };
  if (decision.fault) {
    return {
      status: applyFault(ex.res, ex.req, ex, decision.fault),
      note: `fault=${decision.fault.type}`,
    };
  }
  return undefined;
}

/** Runs `answer` after the fault rule of `name`, and sends what the fault leaves of it. */
async function faulted(
  ex: Exchange,
  name: OperationName | MessagingEndpoint,
  answer: () => R.Answer,
): Promise<Outcome> {
  const fault = await injectFault(ex, name);
  if (fault && 'status' in fault) return fault;
  const result = answer();
  // The work is done, the client never learns it: what retry keys are for.
  if (fault?.lost !== undefined) return loseAnswer(ex.res, ex.req, ex, result, fault.lost);
  sendAnswer(ex.res, ex, result);
  return { status: result.status };
}

/** The answer of a token API operation to a request whose body (if any) was read. */
function operationAnswer(ex: Exchange, op: Operation, body: Buffer | undefined): R.Answer {
  if (body !== undefined && !isFormContentType(ex.req.headers['content-type'])) {
    return R.BAD_CONTENT_TYPE;
  }
  const params = parseForm(body ?? ex.query);
  if (params === undefined) return R.MALFORMED_BODY;
  ex.params = params;
  return op.handle(ex.core, params);
}

function runOperation(ex: Exchange, body: Buffer | undefined): void {
  const op = ex.op!;
  if (ex.core.faults.active) {
    finishLater(
      ex,
      faulted(ex, op.name, () => operationAnswer(ex, op, body)),
    );
    return;
  }
  let answer: R.Answer;
  try {
    answer = operationAnswer(ex, op, body);
    sendAnswer(ex.res, ex, answer);
  } catch (err) {
    failed(ex, err);
    return;
  }
  finish(ex, answer.status);
}

function operationBodyRead(result: BodyResult, ex: Exchange): void {
  if (result.kind === 'aborted') finish(ex, 'reset', 'client went away');
  else if (result.kind === 'too-large') answerNow(ex, R.BODY_TOO_LARGE, result.closeConnection);
  else runOperation(ex, result.body);
}

/** Serves a token API operation. */
export function serveOperation(ex: Exchange, op: Operation): void {
  ex.op = op;
  ex.core.count(op.name);
  if (ex.req.method !== op.method) answerNow(ex, R.methodNotAllowed(op.method));
  else if (op.method === 'POST') readBodyThen(ex.req, MAX_BODY_BYTES, operationBodyRead, ex);
  else runOperation(ex, undefined);
}

function messagingAnswer(ex: Exchange, route: MessagingRoute, body: Buffer | undefined) {
  const headers = ex.req.headers;
  const retryKey = headers['x-line-retry-key'];
  return handleMessaging(ex.core, route, {
    authorization: headers.authorization,
    contentType: headers['content-type'],
    retryKey: typeof retryKey === 'string' ? retryKey : undefined,
    body,
    requestId: ex.requestId,
    query: ex.query,
  });
}

function runMessaging(ex: Exchange, body: Buffer | undefined): void {
  const route = ex.route!;
  if (ex.core.faults.active) {
    finishLater(
      ex,
      faulted(ex, route.endpoint, () => messagingAnswer(ex, route, body)),
    );
    return;
  }
  let answer: R.Answer;
  try {
    answer = messagingAnswer(ex, route, body);
    sendAnswer(ex.res, ex, answer);
  } catch (err) {
    failed(ex, err);
    return;
  }
  finish(ex, answer.status);
}

function messagingBodyRead(result: BodyResult, ex: Exchange): void {
  if (result.kind === 'aborted') finish(ex, 'reset');
  else if (result.kind === 'too-large') {
    sendAnswer(ex.res, ex, MESSAGING_BODY_TOO_LARGE, result.closeConnection);
    finish(ex, 413);
  } else runMessaging(ex, result.body);
}

/** Serves a Messaging API route. */
export function serveMessaging(ex: Exchange, route: MessagingRoute): void {
  ex.route = route;
  if (ex.req.method !== route.method) answerNow(ex, R.methodNotAllowed(route.method));
  else if (route.method === 'POST') {
    readBodyThen(ex.req, MAX_MESSAGING_BODY_BYTES, messagingBodyRead, ex);
  } else {
    ex.req.resume();
    runMessaging(ex, undefined);
  }
}
