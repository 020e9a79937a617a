/**
 * Records each token API and Messaging API stand-in request in the emulator's request log:
 * its operation, channel, status and, for a refusal, LINE's text and the rule that produced
 * it. Admin and dashboard requests are left out (the page's own polling would drown the rest),
 * and so is any unknown path.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { dotsIn, protectedHeader } from '../assertion.js';
import type { EmulatorCore } from '../internal/core.js';
import type { Stamp } from '../internal/http.js';
import { errorText, ruleId } from '../internal/rule-ids.js';
import { MESSAGING_ROUTES } from '../messaging.js';
import { OPERATIONS } from '../operations.js';
import type { EmulatorState } from '../state.js';
import type { RequestEntry } from '../internal/events.js';

const BEARER = /^Bearer +([^\s]+) *$/i;

/** The channel a token belongs to, when the emulator knows it. */
function channelOfToken(state: EmulatorState, token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  return state.tokens.get(token)?.channelId ?? state.mint.readStateless(token)?.channelId;
}

/** The kid of an assertion's protected header, undefined when it has none or is no JWS. */
function kidOf(assertion: string): string | undefined {
  // jose's rule: a JWS of 3 or 5 parts; the header alone decides the rest. The header is
  // decoded once for both this log and the verification (assertion.ts keeps it).
  const dots = dotsIn(assertion);
  if (dots !== 2 && dots !== 4) return undefined;
  const kid = protectedHeader(assertion)?.['kid'];
  return typeof kid === 'string' ? kid : undefined;
}

/** The channel a token API request is for: its client_id, its assertion's key, or its token. */
function channelOfParams(
  state: EmulatorState,
  params: ReadonlyMap<string, string>,
): string | undefined {
  const id = params.get('client_id');
  if (id !== undefined) return state.channels.has(id) ? id : undefined;
  const assertion = params.get('client_assertion');
  if (assertion !== undefined) {
    const kid = kidOf(assertion);
    return kid === undefined ? undefined : state.keys.get(kid)?.channelId;
  }
  return channelOfToken(state, params.get('access_token'));
}

/** Adds one request to the log once it is answered; `note` is the server's log note. */
export function recordRequest(
  core: EmulatorCore,
  req: IncomingMessage,
  path: string,
  status: number | 'reset',
  stamp: Stamp,
  note: string | undefined,
): void {
  const op = OPERATIONS.get(path);
  const operation = op?.name ?? MESSAGING_ROUTES.get(path)?.endpoint;
  if (operation === undefined) return;
  const state = core.state;
  const channelId = op
    ? stamp.params && channelOfParams(state, stamp.params)
    : channelOfToken(state, BEARER.exec(req.headers.authorization ?? '')?.[1]);
  // seq first, as the log has always listed its members; the events number it.
  const entry: RequestEntry = { seq: 0, at: state.now(), operation, status };
  if (channelId !== undefined) entry.channelId = channelId;
  const fault = note?.startsWith('fault=') ? note.slice(6).split(' ')[0] : undefined;
  if (fault !== undefined) {
    entry.rule = `fault.${fault}`;
    entry.error = `injected fault: ${note!.slice(6)}`;
  } else if (stamp.answer && typeof status === 'number' && status >= 400) {
    entry.rule = ruleId(stamp.answer);
    const text = errorText(stamp.answer.body);
    if (text !== undefined) entry.error = text;
  }
  core.state.events.request(entry);
}
