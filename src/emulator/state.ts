/**
 * Channels, registered keys and tokens of the emulator, with LINE's per-family limits
 * (docs/line-rules.md, "The token families"). Every lookup by token is one Map access.
 *
 * @module
 */
import { adminFailure } from './internal/admin-error.js';
import * as random from './internal/random.js';
import {
  checkAdvanceSeconds,
  checkChannelInput,
  checkGraceSec,
  checkLegacyKid,
} from './internal/admin-input.js';
import { importRegisteredJwk, validatePublicJwk, type RegisteredJwk } from './keys.js';
import {
  LIVE_TOKEN_LIMIT,
  SHORT_LIVED_EXPIRES_IN_SEC,
  DeadTokens,
  bury,
  isLive,
  listOf,
  prune,
  tokenInfo,
  type Channel,
  type KeyRecord,
  type TokenRecord,
} from './internal/records.js';
import { EmulatorEvents } from './internal/events.js';
import { TokenMint } from './internal/tokens.js';
import type { EmulatorTokenInfo } from './types.js';

export * from './internal/records.js';

/** The mutable world of one emulator. */
export class EmulatorState {
  readonly channels = new Map<string, Channel>();
  readonly keys = new Map<string, KeyRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  clockOffsetMs = 0;
  /** The token timeline and request log the dashboard shows. */
  readonly events = new EmulatorEvents();
  #hmacSecret: Uint8Array = random.hmacSecret();
  #mint: TokenMint | undefined;

  /** Secret of the emulator's own HS256 tokens (persisted, so tokens survive a restart). */
  get hmacSecret(): Uint8Array {
    return this.#hmacSecret;
  }
  set hmacSecret(secret: Uint8Array) {
    this.#hmacSecret = secret;
    this.#mint = undefined;
  }

  /** Mints and reads tokens under that secret (keys derived once, not per token). */
  get mint(): TokenMint {
    this.#mint ??= new TokenMint(this.#hmacSecret);
    return this.#mint;
  }
  /** Called after every change, so persistence can save. */
  onChange: () => void = () => {};

  readonly #baseNow: () => number;

  constructor(baseNow: () => number) {
    this.#baseNow = baseNow;
  }

  /** The emulator clock, epoch ms. */
  now(): number {
    return this.#baseNow() + this.clockOffsetMs;
  }

  advanceClock(seconds: number): number {
    checkAdvanceSeconds(seconds, this.now());
    this.clockOffsetMs += Math.round(seconds * 1000);
    this.onChange();
    return this.now();
  }

  createChannel(input: { id?: unknown; secret?: unknown } = {}): { id: string; secret: string } {
    const { id, secret } = checkChannelInput(
      input.id === undefined ? this.#freshChannelId() : input.id,
      input.secret === undefined ? random.channelSecret() : input.secret,
    );
    if (this.channels.has(id)) {
      throw adminFailure(409, 'id', `channel "${id}" already exists`);
    }
    this.channels.set(id, {
      id,
      secret,
      secretDigest: random.secretBytes(secret),
      v21: [],
      shortLived: [],
      longLived: [],
      dead: new DeadTokens(),
    });
    this.onChange();
    return { id, secret };
  }

  /** The channel, or an admin failure (404) naming it. */
  requireChannel(id: string): Channel {
    const channel = this.channels.get(id);
    if (!channel) throw adminFailure(404, 'channelId', `no channel "${id}" in the emulator`);
    return channel;
  }

  /**
   * Registers a public key. Without `givenKid` the Console's behaviour: a new UUID kid.
   * With it, an older key keeps the kid it came with (refused if that kid is taken).
   */
  registerKey(channelId: string, publicJwk: unknown, givenKid?: unknown): { kid: string } {
    this.requireChannel(channelId);
    const legacyKid = checkLegacyKid(givenKid);
    if (legacyKid !== undefined && this.keys.has(legacyKid)) {
      throw adminFailure(409, 'kid', `the kid "${legacyKid}" is already registered`);
    }
    const { jwk, key } = validatePublicJwk(publicJwk, legacyKid);
    const kid = legacyKid ?? random.uuid();
    this.keys.set(kid, { kid, channelId, jwk, key });
    this.onChange();
    return { kid };
  }

  deleteKey(channelId: string, kid: string): void {
    this.requireChannel(channelId);
    const record = this.keys.get(kid);
    if (!record || record.channelId !== channelId) {
      throw adminFailure(404, 'kid', `no key "${kid}" registered for channel "${channelId}"`);
    }
    this.keys.delete(kid);
    this.onChange();
  }

  /** Re-adds a key from the state file. */
  restoreKey(kid: string, channelId: string, jwk: RegisteredJwk): void {
    let key: KeyRecord['key'];
    try {
      key = importRegisteredJwk(jwk);
    } catch {
      key = undefined; // a broken key surfaces as a refused signature when an assertion uses it
    }
    this.keys.set(kid, { kid, channelId, jwk, key });
  }

  /** Issues a v2.1 token, or answers `'limit'` when 30 are live (nothing is revoked then). */
  issueV21(channel: Channel, tokenExpSec: number): TokenRecord | 'limit' {
    const now = this.now();
    this.#prune(channel, 'v21', now);
    if (channel.v21.length >= LIVE_TOKEN_LIMIT) return 'limit';
    // Synchronous from the check to the insert: concurrent issues cannot overshoot the limit.
    const token = this.mint.v21();
    const record: TokenRecord = {
      token,
      family: 'v2.1',
      channelId: channel.id,
      keyId: random.tokenKeyId(),
      issuedAt: now,
      expiresAt: now + tokenExpSec * 1000,
    };
    this.#add(channel.v21, record);
    return record;
  }

  /** Issues a short-lived token; the 31st live one evicts (revokes) the oldest. */
  issueShortLived(channel: Channel): TokenRecord {
    const now = this.now();
    this.#prune(channel, 'shortLived', now);
    while (channel.shortLived.length >= LIVE_TOKEN_LIMIT) {
      const oldest = channel.shortLived.shift();
      if (oldest) {
        this.events.token('evict', oldest, now);
        this.#bury(channel, oldest, now);
      }
    }
    const record: TokenRecord = {
      token: random.opaqueToken(),
      family: 'short-lived',
      channelId: channel.id,
      issuedAt: now,
      expiresAt: now + SHORT_LIVED_EXPIRES_IN_SEC * 1000,
    };
    this.#add(channel.shortLived, record);
    return record;
  }

  /** Issues the long-lived token; the previous one ends now or after `graceSec`. */
  issueLongLived(channelId: string, graceSec: unknown = 0): TokenRecord {
    const channel = this.requireChannel(channelId);
    const grace = checkGraceSec(graceSec);
    const now = this.now();
    this.#prune(channel, 'longLived', now);
    for (const old of channel.longLived) {
      if (old.expiresAt !== null) continue; // already superseded, its grace runs on
      if (grace === 0) {
        old.revokedAt = now;
        this.events.token('revoke', old, now);
      } else old.expiresAt = now + grace * 1000;
    }
    this.#prune(channel, 'longLived', now);
    const record: TokenRecord = {
      token: random.opaqueToken(),
      family: 'long-lived',
      channelId: channel.id,
      issuedAt: now,
      expiresAt: null,
    };
    this.#add(channel.longLived, record);
    return record;
  }

  /** Revokes a live token (no-op for a dead one). */
  revoke(record: TokenRecord): void {
    if (record.revokedAt !== undefined) return;
    record.revokedAt = this.now();
    this.events.token('revoke', record, record.revokedAt);
    const channel = this.channels.get(record.channelId);
    if (channel) this.#prune(channel, listOf(record.family), record.revokedAt);
    this.onChange();
  }

  /** Live v2.1 `key_id`s of a channel, oldest first. */
  v21KeyIds(channel: Channel): string[] {
    this.#prune(channel, 'v21', this.now());
    return channel.v21.map((r) => r.keyId ?? '');
  }

  liveTokens(channelId: string): EmulatorTokenInfo[] {
    const channel = this.requireChannel(channelId);
    const now = this.now();
    const out: EmulatorTokenInfo[] = [];
    for (const list of ['v21', 'shortLived', 'longLived'] as const) {
      this.#prune(channel, list, now);
      for (const r of channel[list]) out.push(tokenInfo(r));
    }
    return out;
  }

  /** Drops everything; the caller re-creates the initial channels. */
  clear(): void {
    this.channels.clear();
    this.keys.clear();
    this.tokens.clear();
    this.clockOffsetMs = 0;
    this.events.clear();
    this.onChange();
  }

  /** Moves every token that died since into its channel's dead list, so expiries are seen. */
  sweep(): void {
    const now = this.now();
    for (const channel of this.channels.values()) {
      for (const list of ['v21', 'shortLived', 'longLived'] as const) {
        this.#prune(channel, list, now);
      }
    }
  }

  /** Adds a token record restored from the state file. */
  restoreToken(record: TokenRecord): void {
    const channel = this.channels.get(record.channelId);
    if (!channel) return;
    this.tokens.set(record.token, record);
    const now = this.now();
    if (isLive(record, now)) channel[listOf(record.family)].push(record);
    else channel.dead.restore(record);
  }

  #add(list: TokenRecord[], record: TokenRecord): void {
    this.events.token(list.length > 0 ? 'refresh' : 'issue', record, record.issuedAt);
    list.push(record);
    this.tokens.set(record.token, record);
    this.onChange();
  }

  /** Moves tokens that are no longer live out of a channel's live list. */
  #prune(channel: Channel, list: 'v21' | 'shortLived' | 'longLived', now: number): void {
    prune(channel, list, now, this.#forget, this.#expired);
  }

  #bury(channel: Channel, record: TokenRecord, now: number): void {
    bury(channel, record, now, this.#forget);
  }

  readonly #forget = (token: string): void => {
    this.tokens.delete(token);
  };

  readonly #expired = (record: TokenRecord): void => {
    this.events.token('expire', record, record.expiresAt ?? this.now());
  };

  #freshChannelId(): string {
    for (;;) {
      const id = random.channelId();
      if (!this.channels.has(id)) return id;
    }
  }
}
