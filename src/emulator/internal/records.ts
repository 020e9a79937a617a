/**
 * What the emulator stores: channels, keys and token records, and LINE's per-family limits
 * (/work/shared/EMULATOR.md, "The token families").
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { RegisteredJwk } from '../keys.js';
import type { EmulatorTokenFamily } from '../types.js';

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
