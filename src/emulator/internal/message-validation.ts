/**
 * Checks a Messaging API send request the way LINE does, answering LINE's shapes: a
 * malformed body is `The request body could not be parsed as JSON`, a bad `to` is
 * `The property, 'to', in the request body is invalid`, anything else one
 * `The request body has N error(s)` with a `details[]` entry of `{message, property}` per
 * error. [doc] marks LINE's documented rules and texts; [ours] where LINE is silent (the
 * detail texts of missing fields, the nesting bound).
 *
 * @module
 */
import type { Answer } from './responses.js';

/** LINE sends at most five messages per request. [doc] */
export const MAX_MESSAGES_PER_REQUEST = 5;
/** A text message holds at most 5,000 characters, counted in UTF-16 code units. [doc] */
export const MAX_TEXT_LENGTH = 5_000;
/** A multicast goes to at most 500 user IDs. [doc] */
export const MAX_MULTICAST_RECIPIENTS = 500;
/**
 * Deepest nesting of arrays and objects a request body may have. [ours] LINE's deepest
 * legitimate body (a Flex carousel of nested boxes) stays far below it; anything deeper is
 * refused before parsing, so no recursive walk (clone, stringify) can overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** The message types LINE's OpenAPI document lists, with the members each requires. [doc] */
const REQUIRED_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  text: ['text'],
  textV2: ['text'],
  sticker: ['packageId', 'stickerId'],
  image: ['originalContentUrl', 'previewImageUrl'],
  video: ['originalContentUrl', 'previewImageUrl'],
  audio: ['originalContentUrl', 'duration'],
  location: ['title', 'address', 'latitude', 'longitude'],
  imagemap: ['baseUrl', 'altText', 'baseSize', 'actions'],
  template: ['altText', 'template'],
  flex: ['altText', 'contents'],
  coupon: ['couponId'],
};
const TYPES = Object.keys(REQUIRED_BY_TYPE);

/** User, group and room IDs: `U`, `C` or `R` and 32 hex digits. [doc] */
export const USER_ID = /^U[0-9a-f]{32}$/;
const PUSH_TARGET = /^[UCR][0-9a-f]{32}$/;

/** LINE's answer to a body that is not JSON. [doc] */
export const NOT_JSON: Answer = {
  status: 400,
  body: { message: 'The request body could not be parsed as JSON (line: 1, column: 1)' },
};
/** LINE's answer to a `to` that is not a user, group or room ID. [doc: the text's shape] */
export const INVALID_TO: Answer = {
  status: 400,
  body: { message: "The property, 'to', in the request body is invalid (line: -, column: -)" },
};

/** One validation error, in LINE's `details[]` shape. */
interface Detail {
  message: string;
  property: string;
}

/** LINE's summary and details for one or more errors. [doc: the shape] */
export function invalidBody(details: Detail[]): Answer {
  return {
    status: 400,
    body: { message: `The request body has ${details.length} error(s)`, details },
  };
}

/**
 * How deeply arrays and objects nest in JSON text, counted without parsing (brackets
 * inside strings skipped). Stops counting past `limit`.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Parses a request body: the value, or LINE's 400 (not JSON, or nested too deep). */
export function parseJsonBody(raw: Buffer | undefined): { value: unknown } | Answer {
  const text = (raw ?? Buffer.alloc(0)).toString('utf8');
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    return invalidBody([
      { message: `must not nest deeper than ${MAX_JSON_DEPTH} levels`, property: '(body)' },
    ]);
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return NOT_JSON;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkMessage(m: unknown, at: string, out: Detail[]): void {
  if (!isObject(m)) {
    out.push({ message: 'must be a message object', property: at });
    return;
  }
  const type = m['type'];
  const required = typeof type === 'string' ? REQUIRED_BY_TYPE[type] : undefined;
  if (required === undefined) {
    out.push({ message: `must be one of ${TYPES.join(', ')}`, property: `${at}.type` });
    return;
  }
  for (const name of required) {
    const v = m[name];
    if (v === undefined || v === null || v === '') {
      out.push({ message: 'must be specified', property: `${at}.${name}` });
    }
  }
  const text = m['text'];
  if ((type === 'text' || type === 'textV2') && text !== undefined && text !== '') {
    if (typeof text !== 'string') out.push({ message: 'must be a string', property: `${at}.text` });
    // String length is UTF-16 code units, exactly what LINE counts. [doc]
    else if (text.length > MAX_TEXT_LENGTH) {
      out.push({
        message: `Length must be between 0 and ${MAX_TEXT_LENGTH}`,
        property: `${at}.text`,
      });
    }
  }
}

/** Checks `messages`: an array of 1 to 5 message objects, each of a known type. */
function checkMessages(messages: unknown, out: Detail[]): void {
  if (!Array.isArray(messages)) {
    out.push({ message: 'must be specified', property: 'messages' });
    return;
  }
  if (messages.length < 1 || messages.length > MAX_MESSAGES_PER_REQUEST) {
    out.push({
      message: `Size must be between 1 and ${MAX_MESSAGES_PER_REQUEST}`,
      property: 'messages',
    });
    return;
  }
  messages.forEach((m, i) => checkMessage(m, `messages[${i}]`, out));
}

/** The send endpoints whose bodies this module checks. */
export type SendEndpoint = 'push' | 'reply' | 'broadcast' | 'multicast';

/** Checks a send request's parsed body; an answer when LINE would refuse it. */
export function validateSend(endpoint: SendEndpoint, body: unknown): Answer | undefined {
  if (!isObject(body)) return NOT_JSON;
  const out: Detail[] = [];
  if (endpoint === 'push') {
    const to = body['to'];
    if (to === undefined || to === '') out.push({ message: 'must be specified', property: 'to' });
    else if (typeof to !== 'string' || !PUSH_TARGET.test(to)) return INVALID_TO;
  }
  if (endpoint === 'multicast') {
    const to = body['to'];
    if (!Array.isArray(to) || to.length < 1 || to.length > MAX_MULTICAST_RECIPIENTS) {
      out.push({
        message: `Size must be between 1 and ${MAX_MULTICAST_RECIPIENTS}`,
        property: 'to',
      });
    } else if (to.some((id) => typeof id !== 'string' || !USER_ID.test(id))) return INVALID_TO;
  }
  if (endpoint === 'reply') {
    const token = body['replyToken'];
    if (typeof token !== 'string' || token === '') {
      out.push({ message: 'must be specified', property: 'replyToken' });
    }
  }
  checkMessages(body['messages'], out);
  const quiet = body['notificationDisabled'];
  if (quiet !== undefined && typeof quiet !== 'boolean') {
    out.push({ message: 'must be a boolean', property: 'notificationDisabled' });
  }
  return out.length > 0 ? invalidBody(out) : undefined;
}
