/**
 * Public shapes of the emulator: its options, the running handle, the admin API and the
 * fault configuration.
 *
 * @module
 */
import type { OperationName } from '../client/types.js';
import type {
  EmulatorEventInput,
  EmulatorFriend,
  EmulatorWebhookDelivery,
} from './messaging-types.js';

export type * from './messaging-types.js';

/** Options of {@link startEmulator}. Checked once, when the emulator starts. */
export interface EmulatorOptions {
  /**
   * TCP port to listen on.
   *
   * @defaultValue 0 (a free port picked by the OS)
   */
  port?: number;
  /**
   * Interface to bind.
   *
   * @defaultValue `'127.0.0.1'` (loopback only)
   */
  host?: string;
  /**
   * Host names, besides `localhost` and IP addresses, under which the admin API answers
   * (e.g. a docker-compose service name such as `emulator`). Any other `Host` gets 403 from
   * the admin API: a web page could otherwise read it through a hostile name that resolves
   * to this machine (DNS rebinding). A `host` option that is a name is added by itself. The
   * token API and the Messaging API stand-in answer under any name.
   *
   * @defaultValue none
   */
  adminHosts?: readonly string[];
  /**
   * Channels to create at start (and again after `reset()`).
   *
   * @defaultValue none
   */
  channels?: Array<{ id: string; secret: string }>;
  /**
   * Base of the virtual clock, epoch milliseconds. `advanceClock` adds an offset on top.
   * Default `Date.now`. Pass the same fake clock as the code under test to drive both.
   *
   * @defaultValue `Date.now`
   */
  now?: () => number;
  /**
   * Enforce LINE's per-channel rate limits (real time, not the virtual clock).
   *
   * @defaultValue true
   */
  rateLimit?: boolean;
  /**
   * Seed of the fault-injection RNG, so a run can be replayed.
   *
   * @defaultValue 1
   */
  seed?: number;
  /**
   * Persist channels, keys, tokens and the clock offset to this JSON file.
   *
   * @defaultValue none (memory only)
   */
  stateFile?: string;
  /**
   * Receives one line per request (never a token, secret or assertion).
   *
   * @defaultValue none (no logging)
   */
  log?: (line: string) => void;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL to give the client, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  readonly url: string;
  /** Typed admin helpers, acting on this emulator directly (no HTTP round trip). */
  readonly admin: EmulatorAdmin;
  /** Stops listening, drops open connections and writes the state file if any. */
  close(): Promise<void>;
}

/** The token families of the LINE platform. */
export type EmulatorTokenFamily = 'v2.1' | 'short-lived' | 'long-lived';

/** A live token as the admin API lists it. */
export interface EmulatorTokenInfo {
  /** Which family issued it (stateless tokens are never stored, so never listed). */
  family: EmulatorTokenFamily;
  /** The token itself. */
  accessToken: string;
  /** LINE's `key_id` of a v2.1 token. */
  keyId?: string;
  /** Issue time, epoch milliseconds on the emulator's clock. */
  issuedAt: number;
  /** Expiry, epoch milliseconds on the emulator's clock; `null` for a long-lived token. */
  expiresAt: number | null;
}

/** The Messaging API endpoints the emulator serves. */
export type MessagingEndpoint =
  | 'botInfo'
  | 'push'
  | 'reply'
  | 'broadcast'
  | 'multicast'
  | 'profile'
  | 'followers'
  | 'quota'
  | 'quotaConsumption';

/**
 * Whose token a Messaging API call carried: a family, `'none'` (no `Bearer` header) or
 * `'unknown'` (not a token this emulator issued).
 */
export type MessagingTokenFamily = EmulatorTokenFamily | 'stateless' | 'none' | 'unknown';

/** How a Messaging API call ended. */
export type MessagingOutcome =
  | 'ok'
  | 'unauthorized'
  | 'bad-request'
  | 'rate-limited'
  | 'conflict'
  | 'not-found'
  | 'quota-exceeded';

/** A message request the Messaging API stand-in accepted. */
export interface EmulatorMessage {
  /** Which endpoint took it. */
  endpoint: 'push' | 'reply' | 'broadcast' | 'multicast';
  /** The family of the token it was sent with. */
  tokenFamily: EmulatorTokenFamily | 'stateless';
  /** `to` of a push (a user, group or room ID) or of a multicast (user IDs). */
  to?: string | string[];
  /**
   * Users it reached: friends who have not blocked the bot (a push to a stranger or a
   * blocker is accepted, as LINE accepts it, and reaches no one).
   */
  deliveredTo?: string[];
  /** The `x-line-request-id` LINE answered it with. */
  requestId?: string;
  /** `replyToken` of a reply. */
  replyToken?: string;
  /** The `X-Line-Retry-Key` header, when sent. */
  retryKey?: string;
  /** The message objects, as sent. */
  messages: object[];
  /** When it arrived, epoch ms on the emulator's clock. */
  receivedAt: number;
}

/** Counters of requests received. */
export interface EmulatorStats {
  /** Requests received per operation name, faulted and refused ones included. */
  requests: Record<string, number>;
  /**
   * Messaging API stand-in calls by token family, then by outcome, e.g.
   * `{ "v2.1": { "ok": 2, "unauthorized": 1 }, "none": { "unauthorized": 1 } }`. Absent
   * until the stand-in receives its first call.
   */
  messagingApi?: Partial<Record<MessagingTokenFamily, Partial<Record<MessagingOutcome, number>>>>;
}

/**
 * The admin API, the way the LINE Developers Console and a test harness drive the
 * emulator. The same methods exist over HTTP under `/__emulator/` (see docs/emulator.md).
 */
export interface EmulatorAdmin {
  /** Creates a channel; id and secret are generated when omitted. */
  createChannel(input?: { id?: string; secret?: string }): Promise<{ id: string; secret: string }>;
  /**
   * Registers an assertion public key (RSA-2048, RS256, no `kid`), answering the Console's
   * UUID `kid`. With `options.kid`, an older Console key is registered under the kid it came
   * with (the JWK may then hold that same `kid`); refused if that kid is already registered.
   */
  registerKey(
    channelId: string,
    publicJwk: object,
    options?: { kid?: string },
  ): Promise<{ kid: string }>;
  /** Deletes a registered key; assertions signed for it are then refused. */
  deleteKey(channelId: string, kid: string): Promise<void>;
  /** Live (unexpired, unrevoked) tokens of a channel. */
  listTokens(channelId: string): Promise<EmulatorTokenInfo[]>;
  /** Issues (or reissues) the channel's long-lived token; the old one lives on for `graceSec` (0..86400, default 0). */
  issueLongLived(
    channelId: string,
    options?: { graceSec?: number },
  ): Promise<{ accessToken: string }>;
  /** Replaces the fault configuration (an empty object switches faults off). */
  setFaults(faults: FaultConfig): Promise<void>;
  /** Moves the virtual clock forward by whole or fractional seconds; answers the new time (epoch ms). */
  advanceClock(seconds: number): Promise<{ now: number }>;
  /** Messages the Messaging API stand-in accepted for a channel, oldest first (at most 1,000). */
  listMessages(channelId: string): Promise<EmulatorMessage[]>;
  /** Request counters. */
  stats(): Promise<EmulatorStats>;
  /** Registers the bot's webhook URL for a channel (`null` removes it). */
  setWebhook(channelId: string, url: string | null): Promise<{ url: string | null }>;
  /**
   * A virtual user writes to the bot: a `message` event with a fresh reply token, POSTed
   * signed to the channel's webhook URL. Answers the delivery (its event holds the token).
   */
  sendMessage(
    channelId: string,
    message: { text: string; userId?: string; displayName?: string },
  ): Promise<EmulatorWebhookDelivery>;
  /** Sends any supported event (message, follow, unfollow, postback) to the bot's webhook. */
  sendEvent(channelId: string, event: EmulatorEventInput): Promise<EmulatorWebhookDelivery>;
  /** Webhook deliveries of a channel, oldest first (at most 1,000). */
  listDeliveries(channelId: string): Promise<EmulatorWebhookDelivery[]>;
  /** Sends a delivery's event again with `deliveryContext.isRedelivery: true`. */
  redeliver(channelId: string, deliveryId: string): Promise<EmulatorWebhookDelivery>;
  /** Adds a virtual user as a friend of the bot (no webhook is sent). */
  addFriend(
    channelId: string,
    friend?: { userId?: string; displayName?: string },
  ): Promise<EmulatorFriend>;
  /** The channel's virtual users, friends and blockers. */
  listFriends(channelId: string): Promise<EmulatorFriend[]>;
  /** Sets the channel's monthly message limit (`null`: none, LINE's default answer). */
  setMessageQuota(channelId: string, limit: number | null): Promise<void>;
  /** Back to the start: only the channels of the options, no keys, tokens, messages, faults, counters or clock offset. */
  reset(): Promise<void>;
}

/** One injected fault. */
export type Fault =
  /** Answer this 5xx status with a JSON `{"message": ...}` body. */
  | { type: 'status'; status: number }
  /** Answer 429 with `Retry-After` (seconds, default 1) and LINE's rate-limit message. */
  | { type: 'rate-limit'; retryAfterSec?: number }
  /** Drop the connection without answering. */
  | { type: 'reset' }
  /** Answer 200 with a truncated JSON body. */
  | { type: 'malformed' }
  /** Answer 502 with a proxy-style HTML page. */
  | { type: 'html-502' }
  /**
   * Do the operation (issue the token, revoke it), then lose the answer: drop the
   * connection (default), answer `status` (5xx) instead, or send the real answer after
   * `delayMs` (real time). The ambiguous case a client cannot tell from a failure.
   */
  | { type: 'lost-answer'; status?: number; delayMs?: number };

/** How faults hit the requests of one operation (or all of them). */
export interface FaultRule {
  /**
   * Faults answered to the next requests, one each, in order; `'pass'` lets one request
   * through. Consumed before any random fault.
   */
  sequence?: Array<Fault | 'pass'>;
  /**
   * Random faults: for each request, the first entry whose draw hits wins, so
   * `[{probability: 0.3, fault: A}, {probability: 0.1, fault: B}]` gives A 30% of the time.
   * The sum of probabilities must not exceed 1.
   */
  random?: Array<{ probability: number; fault: Fault }>;
  /** Latency added before answering, ms: a fixed value or a uniform range. */
  latencyMs?: number | { min: number; max: number };
}

/** The fault configuration: a rule for every operation, overridden per operation. */
export interface FaultConfig {
  /** Reseeds the RNG, so the same configuration replays the same faults. */
  seed?: number;
  /** Applies to operations without a rule of their own. */
  global?: FaultRule;
  /**
   * Per-operation rules, by the client's operation names and the Messaging API endpoint
   * names (`push`, `reply`, `broadcast`, `multicast`, `botInfo`, `profile`, ...).
   */
  operations?: Partial<Record<OperationName | MessagingEndpoint, FaultRule>>;
}
