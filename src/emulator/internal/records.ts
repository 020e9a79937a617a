/**
 * What the emulator stores: channels, keys and token records, LINE's per-family limits
 * (docs/line-rules.md, "The token families"), and how a channel's live lists shed
 * tokens that died into its bounded list of dead ones.
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { RegisteredJwk } from '../keys.js';
import type { EmulatorTokenFamily, EmulatorTokenInfo } from '../types.js';

export {
  LIVE_TOKEN_LIMIT,
  LONG_LIVED_NOMINAL_SEC,
  MAX_LONG_LIVED_GRACE_SEC,
  SHORT_LIVED_EXPIRES_IN_SEC,
} from '../../line/facts.js';

/** A stored token. Times are epoch ms on the emulator clock. */
export interface TokenRecord {
  token: string;
  family: EmulatorTokenFamily;
  channelId: string;
  keyId?: string;
  issuedAt: number;
  expiresAt: number | null;
  revokedAt?: number;
}

/** A channel and its tokens, split by family; `live` lists may hold tokens that expired since. */
export interface Channel {
  readonly id: string;
  readonly secret: string;
  /** The secret's bytes, compared in constant time (named when it held a digest). */
  readonly secretDigest: Buffer;
  v21: TokenRecord[];
  shortLived: TokenRecord[];
  longLived: TokenRecord[];
  dead: DeadTokens;
}

/** A registered assertion key. */
export interface KeyRecord {
  kid: string;
  channelId: string;
  jwk: RegisteredJwk;
  /** Imported once at registration; undefined when a restored key no longer imports. */
  key: KeyObject | undefined;
}

/** Whether a token still works at `now`. */
export function isLive(record: TokenRecord, now: number): boolean {
  return record.revokedAt === undefined && (record.expiresAt === null || now < record.expiresAt);
}

/** Which live list of a channel holds a family. */
export function listOf(family: EmulatorTokenFamily): 'v21' | 'shortLived' | 'longLived' {
  return family === 'v2.1' ? 'v21' : family === 'short-lived' ? 'shortLived' : 'longLived';
}

// Revoked and expired tokens are remembered (to answer "revoked" or "expired") up to this many
// per channel; older ones are forgotten and then answer as unknown.
const DEAD_TOKENS_KEPT = 1_000;

/**
 * A channel's dead tokens, oldest first, keeping the newest {@link DEAD_TOKENS_KEPT}. A head
 * index rather than a splice per burial: on a busy channel every issue buries a token, and
 * moving the whole list each time was the largest share of an issue's bookkeeping. The
 * oldest are forgotten one by one, in order, exactly when the list passes the limit.
 */
export class DeadTokens {
  #items: (TokenRecord | undefined)[] = [];
  #head = 0;

  /** How many dead tokens are remembered. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Adds a dead token, forgetting (through `forget`) the oldest past the limit. */
  add(record: TokenRecord, forget: (token: string) => void): void {
    this.#items.push(record);
    while (this.#items.length - this.#head > DEAD_TOKENS_KEPT) {
      const oldest = this.#items[this.#head]!;
      this.#items[this.#head++] = undefined;
      forget(oldest.token);
    }
    // Compacted once per DEAD_TOKENS_KEPT burials: amortised O(1).
    if (this.#head >= DEAD_TOKENS_KEPT) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Adds a token restored from the state file, without forgetting any (the next add does). */
  restore(record: TokenRecord): void {
    this.#items.push(record);
  }
}

/**
 * Moves a token to its channel's dead list (revoking it if it is still live), forgetting
 * the oldest dead ones past {@link DEAD_TOKENS_KEPT} through `forget`.
 */
export function bury(
  channel: Channel,
  record: TokenRecord,
  now: number,
  forget: (token: string) => void,
): void {
  if (isLive(record, now)) record.revokedAt = now;
  channel.dead.add(record, forget);
}

/**
 * Moves tokens that are no longer live out of one of a channel's live lists, in order and in
 * place (no new list per issue); `expired` hears of each one that died by expiry rather than
 * revocation.
 */
export function prune(
  channel: Channel,
  list: 'v21' | 'shortLived' | 'longLived',
  now: number,
  forget: (token: string) => void,
  expired?: (record: TokenRecord) => void,
): void {
  const live = channel[list];
  let kept = 0;
  for (let i = 0; i < live.length; i++) {
    const r = live[i]!;
    if (isLive(r, now)) {
      live[kept++] = r;
      continue;
    }
    if (r.revokedAt === undefined) expired?.(r);
    bury(channel, r, now, forget);
  }
  if (kept < live.length) live.length = kept;
}

/** A token record as the admin API and the dashboard show it (no internal fields). */
export function tokenInfo(r: TokenRecord): EmulatorTokenInfo {
  return {
    family: r.family,
    accessToken: r.token,
    ...(r.keyId === undefined ? {} : { keyId: r.keyId }),
    issuedAt: r.issuedAt,
    expiresAt: r.expiresAt,
  };
}
