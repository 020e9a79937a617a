/**
 * What the emulator stores: channels, keys and token records, and LINE's per-family limits
 * (/work/shared/EMULATOR.md, "The token families").
 *
 * @module
 */
import type { KeyObject } from 'node:crypto';
import type { RegisteredJwk } from '../keys.js';
import type { EmulatorTokenFamily } from '../types.js';

/** At most this many live tokens per channel for v2.1 and short-lived. [doc] */
export const LIVE_TOKEN_LIMIT = 30;
/** Short-lived tokens live 30 days. [doc] */
export const SHORT_LIVED_EXPIRES_IN_SEC = 2_592_000;
/** A superseded long-lived token can live on for at most 24 h. [doc] */
export const MAX_LONG_LIVED_GRACE_SEC = 86_400;
/** What v2 verify answers as `expires_in` of a long-lived token (LINE's example is ~99 years). */
export const LONG_LIVED_NOMINAL_SEC = 3_153_600_000;

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
