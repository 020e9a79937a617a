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
  dead: TokenRecord[];
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
  channel.dead.push(record);
  if (channel.dead.length > DEAD_TOKENS_KEPT) {
    const forgotten = channel.dead.splice(0, channel.dead.length - DEAD_TOKENS_KEPT);
    for (const r of forgotten) forget(r.token);
  }
}

/**
 * Moves tokens that are no longer live out of one of a channel's live lists; `expired` hears
 * of each one that died by expiry rather than revocation.
 */
export function prune(
  channel: Channel,
  list: 'v21' | 'shortLived' | 'longLived',
  now: number,
  forget: (token: string) => void,
  expired?: (record: TokenRecord) => void,
): void {
  const live = channel[list];
  if (live.every((r) => isLive(r, now))) return;
  channel[list] = live.filter((r) => {
    if (isLive(r, now)) return true;
    if (r.revokedAt === undefined) expired?.(r);
    bury(channel, r, now, forget);
    return false;
  });
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
