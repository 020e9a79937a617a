/**
 * What the dashboard page reads, in one JSON answer: channels with their 30-slot v2.1
 * gauge and family counts, the timeline and request log entries after a given `seq`, the
 * messages bots sent, the clock and which operations have a fault on. Tokens appear only as
 * short prefixes and secrets not at all: the page is a web page.
 *
 * @module
 */
import { ALL_OPERATIONS } from '../../client/options.js';
import type { EmulatorCore } from '../internal/core.js';
import { shortToken, type RequestEntry, type TokenEvent } from '../internal/events.js';
import { LIVE_TOKEN_LIMIT, type Channel } from '../state.js';
import type { EmulatorMessage } from '../types.js';

/** One slot of the v2.1 gauge. */
export interface GaugeSlot {
  token: string;
  keyId: string;
  issuedAt: number;
  expiresAt: number | null;
  /** `live`; `expiring` (in the last tenth of its life); `superseded` (a newer one exists, awaiting revocation). */
  state: 'live' | 'expiring' | 'superseded';
}

/** A message a bot sent, as the chat view shows it. */
export interface ChatMessage {
  endpoint: EmulatorMessage['endpoint'];
  /** The recipient, or the recipients of a multicast. */
  to?: string | string[];
  /** The text of each text message, or the type of any other message object. */
  texts: string[];
  receivedAt: number;
}

/** A channel as the page shows it. */
export interface DashboardChannel {
  id: string;
  /** Registered assertion key ids (public, as LINE's Console lists them). */
  keys: string[];
  limit: number;
  v21: GaugeSlot[];
  shortLived: number;
  longLived: number;
  messages: ChatMessage[];
}

/** The answer of `GET /__emulator/dashboard/state?since=N`. */
export interface DashboardState {
  seq: number;
  now: number;
  operations: readonly string[];
  /** Operations that have a fault rule of their own. */
  faults: string[];
  channels: DashboardChannel[];
  tokenEvents: TokenEvent[];
  requests: RequestEntry[];
}

// The chat view shows the latest messages; the admin API lists them all.
const MESSAGES_SHOWN = 50;

function gauge(channel: Channel, now: number): GaugeSlot[] {
  const live = channel.v21;
  const newest = live.reduce((max, r) => Math.max(max, r.issuedAt), -Infinity);
  return live.map((r) => {
    const expiring = r.expiresAt !== null && r.expiresAt - now < (r.expiresAt - r.issuedAt) / 10;
    return {
      token: shortToken(r.token),
      keyId: r.keyId ?? '',
      issuedAt: r.issuedAt,
      expiresAt: r.expiresAt,
      state: expiring ? 'expiring' : r.issuedAt < newest ? 'superseded' : 'live',
    };
  });
}

function chat(message: EmulatorMessage): ChatMessage {
  const texts = message.messages.map((m) => {
    const o = m as { type?: unknown; text?: unknown };
    return o.type === 'text' && typeof o.text === 'string'
      ? o.text
      : `[${typeof o.type === 'string' ? o.type : 'message'}]`;
  });
  return {
    endpoint: message.endpoint,
    ...(message.to !== undefined && { to: message.to }),
    texts,
    receivedAt: message.receivedAt,
  };
}

/** The page's view of the emulator, with timeline and log entries after `since`. */
export function dashboardState(core: EmulatorCore, since: number): DashboardState {
  const state = core.state;
  // Expiries are noticed lazily by the token API; the page wants them as soon as they happen.
  state.sweep();
  const now = state.now();
  const kids = new Map<string, string[]>();
  for (const key of state.keys.values()) {
    const list = kids.get(key.channelId) ?? [];
    list.push(key.kid);
    kids.set(key.channelId, list);
  }
  const channels = [...state.channels.values()].map((c) => ({
    id: c.id,
    keys: kids.get(c.id) ?? [],
    limit: LIVE_TOKEN_LIMIT,
    v21: gauge(c, now),
    shortLived: c.shortLived.length,
    longLived: c.longLived.length,
    messages: core.messages.list(c.id).slice(-MESSAGES_SHOWN).map(chat),
  }));
  const ops = core.faults.current.operations ?? {};
  return {
    seq: state.events.seq,
    now,
    operations: ALL_OPERATIONS,
    faults: ALL_OPERATIONS.filter((op) => ops[op] !== undefined),
    channels,
    tokenEvents: state.events.tokens.since(since),
    requests: state.events.requests.since(since),
  };
}
