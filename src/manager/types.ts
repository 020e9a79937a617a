/**
 * The public shapes of the token manager: strategies, hook events and the status
 * snapshot. The options are in options.ts and option-groups.ts (which read these types;
 * this file reads none of theirs, so the two never form a cycle).
 *
 * @module
 */
import type { PrivateKeyInput } from '../assertion/index.js';
import type { LineTokenError, LineTokenErrorCode } from '../errors.js';

/**
 * How the manager gets its tokens.
 *
 * - `v2.1`: JWT-assertion tokens with a lifetime you choose (`tokenExpSec`, up to 30
 *   days; default one day, so a token whose answer was lost
 *   blocks its slot for a day at most). Give `channelSecret` too, so superseded tokens can be
 *   revoked (LINE's v2.1 revoke needs it).
 * - `stateless`: 15-minute tokens that count against no limit, by secret or by assertion.
 * - `short-lived`: 30-day tokens from the channel id and secret.
 * - `static`: a long-lived token from the Console, passed through (no issuing), so code
 *   can use one interface whatever the token. `channelId` is only needed by the registry.
 *
 * @example
 * ```ts
 * const strategy: TokenStrategy = {
 *   type: 'v2.1', channelId: '1234567890', kid, privateKey: jwkText,
 *   tokenExpSec: 86_400, channelSecret,
 * };
 * ```
 */
export type TokenStrategy =
  | {
      type: 'v2.1';
      channelId: string;
      kid: string;
      privateKey: PrivateKeyInput;
      tokenExpSec?: number;
      channelSecret?: string;
    }
  | { type: 'stateless'; channelId: string; channelSecret: string }
  | { type: 'stateless'; channelId: string; kid: string; privateKey: PrivateKeyInput }
  | { type: 'short-lived'; channelId: string; channelSecret: string }
  | { type: 'static'; accessToken: string; expiresAt?: number; channelId?: string };

/** The timer functions the manager schedules on; inject fake ones to drive it on a virtual clock. */
export interface ManagerTimers {
  /** Calls `callback` after `delayMs`; returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  /** Cancels a pending timer. */
  clearTimeout(handle: unknown): void;
}

/** Told to `onTokenIssued` after the manager issued a token (not when it read one from the store). */
export interface TokenIssuedEvent {
  /** The new token. A secret: persist it if you must, never log it. */
  readonly accessToken: string;
  readonly type: 'v2.1' | 'stateless' | 'short-lived';
  readonly channelId: string;
  /** LINE's `key_id`, for v2.1 tokens. */
  readonly keyId: string | undefined;
  /** Epoch ms. */
  readonly issuedAt: number;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** When the manager will start replacing it, epoch ms. */
  readonly refreshAt: number;
}

/** Told to `onRefreshError` after each failed attempt to get a token. */
export interface RefreshErrorEvent {
  /**
   * What failed: a `LineTokenError` from the client, the assertion signer, the store or the
   * manager (anything else is wrapped in a `TokenUnavailableError`, kept as its cause).
   */
  readonly error: LineTokenError;
  /** `false` for failures worth retrying (network, timeouts, 408, 429, 5xx, the slot budget). */
  readonly permanent: boolean;
  /** When the next attempt may happen, epoch ms; `undefined` once the manager gave up. */
  readonly nextAttemptAt: number | undefined;
  /** Whether a valid token is still being served meanwhile. */
  readonly servingCurrentToken: boolean;
}

/** Told to `onRevoked` after the manager revoked a token. */
export interface TokenRevokedEvent {
  readonly type: 'v2.1' | 'short-lived';
  readonly channelId: string;
  /** LINE's `key_id`, for v2.1 tokens. */
  readonly keyId: string | undefined;
  /**
   * `superseded`: replaced by a newer token, after the grace period; `token-limit`: revoked
   * early to stay under the 30-token limit; `superseded-at-close`: a superseded token
   * revoked by `close()` before its grace period ended; `current-at-close`: the token in
   * use when `close()` ran (see `revoke.onClose`).
   */
  readonly reason: 'superseded' | 'token-limit' | 'superseded-at-close' | 'current-at-close';
}

/** Something the user should know that is not a failure of `getToken()`. */
export interface TokenManagerWarning {
  readonly code:
    | 'NO_CHANNEL_SECRET'
    | 'STORE_DEGRADED'
    | 'STORE_RECOVERED'
    | 'REVOKE_FAILED'
    | 'NEAR_TOKEN_LIMIT'
    | 'UNACCOUNTED_TOKENS'
    | 'FOREIGN_TOKENS'
    | 'TOKEN_REVOKED_EARLY'
    | 'UNAUTHORIZED_BUT_VALID'
    | 'CLOCK_SKEW'
    | 'HOOK_FAILED'
    | 'FOREIGN_RECORD';
  /** One line, safe to log: never holds a token or secret. */
  readonly message: string;
  readonly cause?: unknown;
}

/** A snapshot of the manager for health checks and metrics. It never holds a token. */
export interface TokenManagerStatus {
  readonly type: TokenStrategy['type'];
  readonly channelId: string | undefined;
  /** Whether a token could be handed out right now. */
  readonly hasToken: boolean;
  /** LINE's `key_id` of the current v2.1 token. */
  readonly keyId: string | undefined;
  /** Epoch ms; `undefined` without a token. */
  readonly issuedAt: number | undefined;
  readonly expiresAt: number | undefined;
  readonly refreshAt: number | undefined;
  /** Whether a refresh is running now. */
  readonly refreshing: boolean;
  /** When the next attempt may start after failures, epoch ms. */
  readonly nextAttemptAt: number | undefined;
  /** The store failed; the manager works on its own in-memory token until it answers again. */
  readonly degraded: boolean;
  /** The manager gave up after repeated permanent failures. */
  readonly stopped: boolean;
  readonly closed: boolean;
  /**
   * The last failure (code and message only). Always a `LineTokenError` code: internal
   * failures are reported as `ERR_LINE_STORE` (the store or its lock) or
   * `ERR_LINE_TOKEN_UNAVAILABLE`.
   */
  readonly lastError:
    | { readonly code: LineTokenErrorCode; readonly message: string; readonly at: number }
    | undefined;
  /**
   * v2.1: the tokens this manager, or the managers sharing its store, may have left live
   * and unheld (lost answers, issues cut short by a crash, superseded tokens that could not
   * be revoked), at the last check: what `tokenLimit.unaccountedBudget` bounds.
   * `undefined` before the first check.
   */
  readonly unaccountedTokens?: number | undefined;
  /**
   * v2.1: live tokens of other holders at the last check (other processes with their own
   * stores, a CLI run); they count only toward the ceiling. `undefined` before the first
   * check or when LINE could not list the key ids.
   */
  readonly foreignTokens?: number | undefined;
  /** v2.1: the channel's live tokens at the last check, of LINE's 30; `undefined` as above. */
  readonly liveTokens?: number | undefined;
  readonly counts: {
    /** Tokens this manager issued. */
    readonly issued: number;
    /** Tokens taken from the store (written by another manager or an earlier run). */
    readonly adopted: number;
    /** Refresh cycles started. */
    readonly refreshes: number;
    /** Failed attempts. */
    readonly failures: number;
    /** Superseded tokens revoked. */
    readonly revocations: number;
    /** Tokens handed back through `invalidate()` that were current. */
    readonly invalidations: number;
  };
}
