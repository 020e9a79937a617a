/**
 * Strict, bounded request reading for the emulator: a body never buffers past a limit,
 * never makes the server hang, and a malformed one is told apart from a merely wrong one.
 *
 * @module
 */
import { isAscii } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Answer } from './responses.js';

/** Largest request body read, bytes. LINE's requests are a few kilobytes at most. */
export const MAX_BODY_BYTES = 64 * 1024;
// Past the limit the rest of an oversized body is read and dropped up to this size, so the
// client gets its 400 instead of a reset; beyond it the connection is closed.
const MAX_DRAINED_BYTES = 1024 * 1024;

/** The outcome of reading a body. */
export type BodyResult =
  | { kind: 'ok'; body: Buffer }
  | { kind: 'too-large'; closeConnection: boolean }
  | { kind: 'aborted' };

const TOO_LARGE_CLOSE: BodyResult = { kind: 'too-large', closeConnection: true };
const TOO_LARGE_KEEP: BodyResult = { kind: 'too-large', closeConnection: false };
const ABORTED: BodyResult = { kind: 'aborted' };

// The state of one body being read. It hangs off the request under a symbol so that the
// listeners can be shared functions (`this` is the request): the hot path makes no closure
// per request.
const READER = Symbol('body reader');
interface BodyReader {
  readonly maxBytes: number;
  readonly drained: number;
  readonly done: (result: BodyResult, context: never) => void;
  readonly context: unknown;
  first: Buffer | undefined;
  chunks: Buffer[] | undefined;
  size: number;
  settled: boolean;
}
type Reading = IncomingMessage & { [READER]?: BodyReader };

function settle(reader: BodyReader, result: BodyResult): void {
  if (reader.settled) return;
  reader.settled = true;
  (reader.done as (result: BodyResult, context: unknown) => void)(result, reader.context);
}

function onData(this: Reading, chunk: Buffer): void {
  const reader = this[READER]!;
  reader.size += chunk.length;
  if (reader.size <= reader.maxBytes) {
    if (reader.first === undefined) reader.first = chunk;
    else (reader.chunks ??= [reader.first]).push(chunk);
  } else if (reader.size > reader.drained) {
    this.pause();
    settle(reader, TOO_LARGE_CLOSE);
  }
}

function onEnd(this: Reading): void {
  const reader = this[READER]!;
  if (reader.size > reader.maxBytes) settle(reader, TOO_LARGE_KEEP);
  else {
    const body = reader.chunks ? Buffer.concat(reader.chunks) : (reader.first ?? Buffer.alloc(0));
    settle(reader, { kind: 'ok', body });
  }
}

function onGone(this: Reading): void {
  settle(this[READER]!, ABORTED);
}

/**
 * Reads a request body up to `maxBytes`, then calls `done(result, context)` once. The
 * callback form is the emulator's hot path: `context` carries the request's state, so
 * neither a promise nor a closure is made per request.
 */
export function readBodyThen<T>(
  req: IncomingMessage,
  maxBytes: number,
  done: (result: BodyResult, context: T) => void,
  context: T,
): void {
  // A larger limit (the Messaging API's 2 MB) drains up to twice itself before closing.
  const drained = Math.max(MAX_DRAINED_BYTES, 2 * maxBytes);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > drained) {
    req.resume();
    done(TOO_LARGE_CLOSE, context);
    return;
  }
  (req as Reading)[READER] = {
    maxBytes,
    drained,
    done,
    context,
    first: undefined,
    chunks: undefined,
    size: 0,
    settled: false,
  };
  req.on('data', onData);
  req.on('end', onEnd);
  // An aborted request always ends in 'close' (its 'error' is emitted only to listeners).
  req.on('close', onGone);
}

/** Reads a request body up to `maxBytes` (default {@link MAX_BODY_BYTES}). */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => readBodyThen(req, maxBytes, resolve, undefined));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses `application/x-www-form-urlencoded` text (a body or a query string). Answers
 * undefined when it is malformed: bad UTF-8, a bad percent-escape or a repeated parameter.
 * Empty values are dropped, since LINE treats an empty field as an absent one.
 */
export function parseForm(input: string | Buffer): Map<string, string> | undefined {
  let text: string;
  if (typeof input === 'string') text = input;
  // Forms are ASCII (escapes carry the rest): checked at memory speed, decoded without UTF-8.
  else if (isAscii(input)) text = input.toString('latin1');
  else {
    try {
      text = utf8.decode(input);
    } catch {
      return undefined;
    }
  }
  const params = new Map<string, string>();
  if (text === '') return params;
  // Names of empty parameters: dropped, yet a repeat of one is still malformed.
  let empty: Set<string> | undefined;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeFormPart(eq < 0 ? pair : pair.slice(0, eq));
      value = eq < 0 ? '' : decodeFormPart(pair.slice(eq + 1));
    } catch {
      return undefined;
    }
    if (params.has(name) || empty?.has(name)) return undefined;
    if (value !== '') params.set(name, value);
    else (empty ??= new Set()).add(name);
  }
  return params;
}

// Short escaped parts seen before, decoded: the same few (`client_assertion_type`'s URN) come
// in every request, and decodeURIComponent was the largest share of parsing a token form.
const decodedParts = new Map<string, string>();
const DECODED_PART_MAX = 128;
const DECODED_PARTS_KEPT = 256;

// Most parts hold neither '+' nor '%': they decode to themselves, with no regex and no copy.
// A malformed escape throws every time (it is never kept).
function decodeFormPart(part: string): string {
  if (!part.includes('%') && !part.includes('+')) return part;
  if (part.length > DECODED_PART_MAX) return decodeURIComponent(part.replaceAll('+', ' '));
  let decoded = decodedParts.get(part);
  if (decoded === undefined) {
    decoded = decodeURIComponent(part.replaceAll('+', ' '));
    if (decodedParts.size >= DECODED_PARTS_KEPT) decodedParts.clear();
    decodedParts.set(part, decoded);
  }
  return decoded;
}

/** Whether a request's Content-Type is a form (parameters such as `charset` allowed). */
export function isFormContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const semi = value.indexOf(';');
  const type = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded';
}

let dateSecond = Number.NaN;
let dateText = '';

/**
 * The `Date` header for a time in ms. Formatting a date costs more than the rest of a
 * stateless issue's headers, and the header has one-second resolution: the text is made
 * once per second of the (virtual) clock, as Node does for its own `Date` header.
 */
export function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = new Date(second * 1000).toUTCString();
  }
  return dateText;
}

/**
 * What every answer of one request carries: its `x-line-request-id` and the `Date` of the
 * emulator's (virtual) clock, which clients may use to measure skew.
 */
export interface Stamp {
  readonly requestId: string;
  readonly date: string;
  /** The answer sent, for the dashboard's request log (set by sendAnswer). */
  answer?: Answer;
  /** The parameters of a token API request, for the request log to find the channel. */
  params?: ReadonlyMap<string, string>;
}

// Answers queued in this turn of the event loop, written together once its I/O is handled.
const outbox: Array<[ServerResponse, Stamp, Answer, boolean]> = [];

/**
 * Sends an answer: queued, and written with the others of this turn of the event loop
 * (`setImmediate`), once the requests that arrived together are handled. A write wakes a
 * sleeping client, which on a virtual machine cost the emulator 26 µs per v2.1 answer
 * (`perf`; 7 for a bare server); back to back, the later writes find it awake. An answer
 * leaves at most one turn later; the order of answers on a connection is kept.
 */
export function sendAnswer(
  res: ServerResponse,
  stamp: Stamp,
  answer: Answer,
  closeConnection = false,
): void {
  stamp.answer = answer;
  if (outbox.push([res, stamp, answer, closeConnection]) === 1) setImmediate(flushAnswers);
}

/**
 * Writes the queued answers now. Called before anything else goes to a socket directly (a
 * parse error's 400, a reset fault, closing): an answer queued earlier leaves first, as if
 * it had been written at once.
 */
export function flushAnswers(): void {
  for (const [res, stamp, answer, closeConnection] of outbox.splice(0)) {
    // A client that went away meanwhile gets nothing, as when it leaves mid-write.
    if (res.destroyed) continue;
    try {
      writeAnswer(res, stamp, answer, closeConnection);
    } catch {
      res.destroy();
    }
  }
}

/**
 * Writes an answer: JSON body (or none), the stamp's headers, and any extra ones. Headers go
 * to writeHead as one flat array: Node writes it as is, where an object is walked key by key
 * and a setHeader() before it would copy every header through setHeader again.
 */
function writeAnswer(
  res: ServerResponse,
  stamp: Stamp,
  answer: Answer,
  closeConnection: boolean,
): void {
  const text = answer.json ?? (answer.body === undefined ? undefined : JSON.stringify(answer.body));
  const headers = ['date', stamp.date, 'x-line-request-id', stamp.requestId];
  if (answer.headers) {
    for (const name in answer.headers) headers.push(name, answer.headers[name]!);
  }
  if (closeConnection) headers.push('connection', 'close');
  if (text === undefined) {
    headers.push('content-length', '0');
    res.writeHead(answer.status, headers);
    res.end();
    return;
  }
  headers.push(
    'content-type',
    'application/json',
    'content-length',
    String(Buffer.byteLength(text)),
  );
  res.writeHead(answer.status, headers);
  res.end(text);
}

/** Writes a raw answer (faults): any content type, any body. */
export function sendRaw(
  res: ServerResponse,
  stamp: Stamp,
  status: number,
  contentType: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    date: stamp.date,
    'x-line-request-id': stamp.requestId,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    ...extra,
  });
  res.end(body);
}
