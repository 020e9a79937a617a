/**
 * The storage contract of the token manager. A store keeps the current token of a
 * channel and strategy under a key, so a restarted process (file store) or a fleet of
 * processes (Redis store) reuses it instead of issuing another.
 *
 * @module
 */
import { invalidArgument } from '../internal/validate.js';

/** A token as a store keeps it. Timestamps are epoch milliseconds. */
export interface StoredToken {
  /** The bearer token. */
  accessToken: string;
  /** When it stops being valid. */
  expiresAt: number;
  /** When it was issued. */
  issuedAt: number;
  /** LINE's `key_id`, for v2.1 tokens. */
  keyId?: string;
  /** The strategy that issued it: `v2.1`, `stateless`, `short-lived` or `static`. */
  type: string;
  /**
   * The channel it belongs to. A manager refuses a record of another channel (or another
   * `type`) under its store key rather than serve it. Absent in records written by 0.1,
   * which are still read.
   *
   * @defaultValue absent
   */
  channelId?: string;
  /**
   * When the manager that wrote it starts replacing it. Shared through the store so a
   * fleet refreshes at one moment (only the lock holder issues) instead of each process
   * at its own jittered time; absent, readers compute it from `issuedAt` and `expiresAt`.
   */
  refreshAt?: number;
  /**
   * Only in the manager's ledger record (stored under `<key>:unresolved`, never served as
   * a token): the v2.1 issues of this channel's managers whose outcome is unknown. See
   * {@link UnresolvedIssue}.
   */
  unresolved?: UnresolvedIssue[];
}

/**
 * A v2.1 issue that may have left a live token nobody holds: its answer was lost (a
 * timeout, a reset, a 5xx after LINE acted), its process died while it was in flight, or
 * it is a superseded token whose revocation failed. Each one may block one of the
 * channel's 30 slots until `until`. Managers sharing a store share these, so a process
 * that crashes mid-issue run after run still keeps within the slot budget.
 */
export interface UnresolvedIssue {
  /** When the issue request was sent (or the revocation given up), epoch ms. */
  startedAt: number;
  /** The latest moment a token it produced can still be live, epoch ms. */
  until: number;
  /**
   * When the request ended without a usable answer, epoch ms. Absent while it may still be
   * in flight (or its process died): then it counts as an orphan whatever LINE lists, until
   * the longest an issue may take has passed.
   */
  endedAt?: number;
  /** LINE's key id, when the token is known (a superseded token that could not be revoked). */
  keyId?: string;
  /**
   * A random id, so two members of a fleet that start an issue at the same millisecond
   * keep two entries, not one.
   * @defaultValue none (the entry is told apart by its times and key id)
   */
  id?: string;
}

/** A held lock; only its owner can release it. */
export interface TokenLock {
  /** Releases the lock if this holder still owns it; a no-op otherwise. */
  release(): Promise<void>;
}

/**
 * Where the manager keeps tokens. `get`/`set`/`delete` are required; `acquireLock` and
 * `waitForChange` let several managers (processes) agree on who issues next.
 */
export interface TokenStore {
  /** The stored token under `key`, or `undefined`. */
  get(key: string): Promise<StoredToken | undefined>;
  /** Stores `token` under `key` for `ttlMs` milliseconds. */
  set(key: string, token: StoredToken, ttlMs: number): Promise<void>;
  /** Removes `key`. */
  delete(key: string): Promise<void>;
  /**
   * Tries once to take the "who issues next" lock for `key`, held at most `ttlMs` so a
   * crashed holder cannot block the others. Resolves `undefined` when someone else holds it.
   */
  acquireLock?(key: string, ttlMs: number): Promise<TokenLock | undefined>;
  /**
   * Resolves when the value under `key` may have changed, or after `timeoutMs`, whichever
   * comes first. Lets waiters react to the lock holder's write without polling hard.
   */
  waitForChange?(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * The store's own clock, epoch ms (Redis `TIME`, a database's `now()`). Optional. When
   * present, every manager writes and reads a token's times on this one clock, so a fleet
   * whose machines' clocks differ (by 40 s, say) still agrees on when a token expires;
   * without it, stored times are each writer's system clock.
   */
  now?(): Promise<number>;
}

/**
 * Whether `value` has the shape of a {@link StoredToken}: a non-empty `accessToken`,
 * finite `expiresAt` and `issuedAt`, a `type`, and, when present, a string `keyId` and a
 * finite `refreshAt`. Stores use it on what they read back, so a corrupt or foreign value
 * is never handed out as a token.
 *
 * @example
 * ```ts
 * const value: unknown = JSON.parse(text);
 * return isStoredToken(value) ? pickStoredToken(value) : undefined;
 * ```
 */
export function isStoredToken(value: unknown): value is StoredToken {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<Record<keyof StoredToken, unknown>>;
  return (
    typeof t.accessToken === 'string' &&
    t.accessToken !== '' &&
    isFiniteNumber(t.expiresAt) &&
    isFiniteNumber(t.issuedAt) &&
    typeof t.type === 'string' &&
    (t.keyId === undefined || typeof t.keyId === 'string') &&
    (t.refreshAt === undefined || isFiniteNumber(t.refreshAt)) &&
    (t.channelId === undefined || typeof t.channelId === 'string') &&
    (t.unresolved === undefined ||
      (Array.isArray(t.unresolved) && t.unresolved.every(isUnresolvedIssue)))
  );
}

function isUnresolvedIssue(value: unknown): value is UnresolvedIssue {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<Record<keyof UnresolvedIssue, unknown>>;
  return (
    isFiniteNumber(e.startedAt) &&
    isFiniteNumber(e.until) &&
    (e.endedAt === undefined || isFiniteNumber(e.endedAt)) &&
    (e.keyId === undefined || typeof e.keyId === 'string') &&
    (e.id === undefined || typeof e.id === 'string')
  );
}

/**
 * A copy of `token` with only the {@link StoredToken} fields, so nothing else that rides
 * on the object is stored or handed out.
 */
export function pickStoredToken(token: StoredToken): StoredToken {
  if (typeof token !== 'object' || token === null) {
    invalidArgument('pickStoredToken', 'token', 'a stored token object', token);
  }
  const picked: StoredToken = {
    accessToken: token.accessToken,
    expiresAt: token.expiresAt,
    issuedAt: token.issuedAt,
    type: token.type,
  };
  if (token.keyId !== undefined) picked.keyId = token.keyId;
  if (token.refreshAt !== undefined) picked.refreshAt = token.refreshAt;
  if (token.channelId !== undefined) picked.channelId = token.channelId;
  if (token.unresolved !== undefined) {
    picked.unresolved = token.unresolved.map((e) => {
      const entry: UnresolvedIssue = { startedAt: e.startedAt, until: e.until };
      if (e.endedAt !== undefined) entry.endedAt = e.endedAt;
      if (e.keyId !== undefined) entry.keyId = e.keyId;
      if (e.id !== undefined) entry.id = e.id;
      return entry;
    });
  }
  return picked;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
