// The token file's format, version 1: `{"version":1,"entries":{"<key>":{"token":…,"deadline":…}}}`.
// Damage is contained at the smallest unit that can be trusted: a malformed entry is set
// aside alone, and only a file that is not this format at all is treated as foreign.
import { isStoredToken, type StoredToken } from '../store.js';

/** One stored token and the moment (store clock, epoch ms) its TTL ends. */
export interface Entry {
  token: StoredToken;
  deadline: number;
  /**
   * The token's lifetime as issued (`expiresAt - issuedAt`), ms: what a reader checks its
   * clock against (see `FileTokenStore.get`). Absent in files written by 0.1.
   */
  lifetimeMs?: number;
}

/** What a read of the file found. */
export type ParsedFile =
  | {
      kind: 'entries';
      /** The sound entries, exactly as they were written (extra fields kept). */
      entries: Record<string, Entry>;
      /** Keys whose entry is damaged; their values are never looked at again. */
      damaged: string[];
    }
  /** Not JSON, or JSON of another shape or version: must not be silently overwritten. */
  | { kind: 'foreign' };

/** The file's text for `entries`. */
export function serialize(entries: Record<string, Entry>): string {
  return JSON.stringify({ version: 1, entries });
}

/**
 * An empty entry map without a prototype, so keys such as `__proto__` or `constructor`
 * are plain keys, never inherited properties.
 */
export function emptyEntries(): Record<string, Entry> {
  return Object.create(null) as Record<string, Entry>;
}

/** Parses the file's text; an absent or empty file is an empty store. */
export function parse(text: string | undefined): ParsedFile {
  if (text === undefined || text.trim() === '') {
    return { kind: 'entries', entries: emptyEntries(), damaged: [] };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'foreign' };
  }
  if (!isObject(data) || data['version'] !== 1 || !isObject(data['entries'])) {
    return { kind: 'foreign' };
  }
  const entries = emptyEntries();
  const damaged: string[] = [];
  for (const [key, entry] of Object.entries(data['entries'])) {
    if (isObject(entry) && isStoredToken(entry['token']) && isFiniteNumber(entry['deadline'])) {
      entries[key] = entry as unknown as Entry;
    } else {
      damaged.push(key);
    }
  }
  return { kind: 'entries', entries, damaged };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
