/**
 * How the emulator answers when a fault is injected: a status, a rate limit, a reset, a
 * malformed or proxy body, or (`lost-answer`) the real answer lost after the operation ran.
 *
 * @module
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Fault } from '../types.js';
import { flushAnswers, sendAnswer, sendRaw, type Stamp } from './http.js';
import * as R from './responses.js';

const MALFORMED_JSON_BODY = '{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJ';
const PROXY_502_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Answers as `fault` says: the status sent, or `reset` when the connection was dropped. */
export function applyFault(
  res: ServerResponse,
  req: IncomingMessage,
  stamp: Stamp,
  fault: Fault,
): number | 'reset' {
  switch (fault.type) {
    case 'status':
      sendAnswer(res, stamp, {
        status: fault.status,
        body: { message: STATUS_CODES[fault.status] ?? 'Server error' },
      });
      return fault.status;
    case 'rate-limit':
      sendAnswer(res, stamp, {
        ...R.RATE_LIMITED,
        headers: { 'retry-after': String(fault.retryAfterSec ?? 1) },
      });
      return 429;
    case 'reset':
    case 'lost-answer': {
      // Answers queued for earlier requests (pipelined on this socket) leave first.
      flushAnswers();
      const socket = req.socket as Duplex & { resetAndDestroy?: () => void };
      if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
      else socket.destroy();
      return 'reset';
    }
    case 'malformed':
      sendRaw(res, stamp, 200, 'application/json', MALFORMED_JSON_BODY);
      return 200;
    case 'html-502':
      sendRaw(res, stamp, 502, 'text/html', PROXY_502_PAGE);
      return 502;
  }
}

/** The operation ran (a token may be issued): now its answer is lost, as the fault says. */
export async function loseAnswer(
  res: ServerResponse,
  req: IncomingMessage,
  stamp: Stamp,
  answer: R.Answer,
  fault: Extract<Fault, { type: 'lost-answer' }>,
): Promise<{ status: number | 'reset'; note: string }> {
  const note = `fault=lost-answer (answer was ${answer.status})`;
  if (fault.status !== undefined) {
    return {
      status: applyFault(res, req, stamp, { type: 'status', status: fault.status }),
      note,
    };
  }
  if (fault.delayMs === undefined) {
    return { status: applyFault(res, req, stamp, { type: 'reset' }), note };
  }
  await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
  if (res.destroyed || req.socket.destroyed)
    return { status: 'reset', note: `${note}, client gone` };
  sendAnswer(res, stamp, answer);
  return { status: answer.status, note };
}
