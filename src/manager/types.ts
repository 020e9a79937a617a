/**
 * The public shapes of the token manager: strategies, options, hook events and the
 * status snapshot.
 *
 * @module
 */
import type { PrivateKeyInput } from '../assertion/index.js';
import type { ChannelAccessTokenClient } from '../client/client.js';
import type { ClientOptions } from '../client/options.js';
import type { LineTokenError, LineTokenErrorCode } from '../errors.js';
import type { TokenStore } from './store.js';

/**
 * How the manager gets its tokens.
 *
 * - `v2.1`: JWT-assertion tokens with a lifetime you choose (`tokenExpSec`, up to 30
 *   days; default `DEFAULT_TOKEN_EXP_SEC`, one day, so a token whose answer was lost
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
   * use when `close()` ran (see `revokeOnClose`).
   */
  readonly reason: 'superseded' | 'token-limit' | 'superseded-at-close' | 'current-at-close';
}

/** The manager's retry options: the client's names (`RetryOptions`) for what the manager has. */
export interface ManagerRetryOptions {
  /** Retries after the first attempt while a caller has no token. */
  limit?: number;
  /** The first backoff wait, ms, doubled per failure. */
  backoffMs?: number;
  /** The longest backoff wait, ms; also the wait after a permanent failure. */
  backoffLimitMs?: number;
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
    | 'CLOCK_SKEW'
    | 'HOOK_FAILED';
  /** One line, safe to log: never holds a token or secret. */
  readonly message: string;
  readonly cause?: unknown;
}

/**
 * Options of {@link TokenManager}: only `strategy` is required. Checked once, at
 * construction. Durations name their unit; every default is an exported constant.
 *
 * @example
 * ```ts
 * const manager = new TokenManager({
 *   strategy: { type: 'stateless', channelId, channelSecret },
 *   onRefreshError: ({ error }) => console.warn(String(error)),
 * });
 * const token = await manager.getToken();
 * ```
 */
export interface TokenManagerOptions {
  /** How tokens are obtained. */
  strategy: TokenStrategy;
  /** The API client. Default: a new one from `clientOptions`. */
  client?: ChannelAccessTokenClient;
  /**
   * Options for the default client. Its `retry` defaults to `false` here: the manager
   * retries on its own schedule while it serves the current token.
   */
  clientOptions?: ClientOptions;
  /** Where the token is kept. Default: a private {@link MemoryTokenStore}. */
  store?: TokenStore;
  /** The store key. Default `<type>:<channelId>`. */
  storeKey?: string;
  /**
   * The system clock, epoch ms. Default `Date.now`. The manager times tokens on
   * `monotonicNow` anchored to this clock once, so a clock that steps does not move them.
   */
  now?: () => number;
  /**
   * A monotonic clock, ms from any origin. Default `performance.now` when `now` is not
   * given; when only `now` is given (a virtual clock in tests), `now` alone times tokens.
   */
  monotonicNow?: () => number;
  /**
   * Timers for refresh, backoff and revocation schedules. Default: the global ones;
   * background schedules (keep-warm, retries, revocations) are unref'd, so they never keep
   * a process alive.
   */
  timers?: ManagerTimers;
  /** A source of randomness in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
  /** Default {@link DEFAULT_REFRESH_WINDOW_FRACTION}. */
  refreshWindowFraction?: number;
  /** Default {@link DEFAULT_MIN_REFRESH_WINDOW_MS}. */
  minRefreshWindowMs?: number;
  /** Default {@link DEFAULT_MAX_REFRESH_WINDOW_MS}. */
  maxRefreshWindowMs?: number;
  /** Fraction 0..1. Default {@link DEFAULT_REFRESH_JITTER}. */
  refreshJitter?: number;
  /** Default {@link DEFAULT_EXPIRY_MARGIN_MS}. */
  expiryMarginMs?: number;
  /**
   * Retries and backoff, in the client's vocabulary (`RetryOptions`): `limit` retries after
   * the first attempt of a caller with no token (default `DEFAULT_MAX_ATTEMPTS - 1`),
   * `backoffMs` the first wait (default {@link DEFAULT_REFRESH_BACKOFF_MS}),
   * `backoffLimitMs` the longest wait (default {@link DEFAULT_REFRESH_BACKOFF_LIMIT_MS}). Waits use
   * equal jitter drawn from `random`.
   *
   * @example
   * ```ts
   * new TokenManager({ strategy, retry: { limit: 2, backoffMs: 500, backoffLimitMs: 30_000 } });
   * ```
   */
  retry?: ManagerRetryOptions;
  /** Same as `retry.backoffMs` (older name). Default {@link DEFAULT_REFRESH_BACKOFF_MS}. */
  backoffInitialMs?: number;
  /** Same as `retry.backoffLimitMs` (older name). Default {@link DEFAULT_REFRESH_BACKOFF_LIMIT_MS}. */
  backoffMaxMs?: number;
  /** Same as `retry.limit + 1` (older name). Default {@link DEFAULT_MAX_ATTEMPTS}. */
  maxAttempts?: number;
  /**
   * v2.1: live tokens on the channel the manager cannot account for, at or above which it
   * stops issuing (see {@link DEFAULT_UNACCOUNTED_TOKEN_BUDGET}); 1 to 29. Raise it only
   * when other programs hold v2.1 tokens of this channel.
   */
  unaccountedTokenBudget?: number;
  /** The longest timeout of an issue call, ms. Default {@link DEFAULT_MAX_ISSUE_TIMEOUT_MS}. */
  maxIssueTimeoutMs?: number;
  /** Default {@link DEFAULT_MAX_PERMANENT_FAILURES}. */
  maxPermanentFailures?: number;
  /** Revoke superseded v2.1 and short-lived tokens. Default `true`. */
  revokeSuperseded?: boolean;
  /**
   * Revoke the current v2.1 or short-lived token on `close()`. Default: `true` when the
   * manager keeps its tokens in its own memory (no `store` given), since nobody can use
   * that token after `close()` and a restarted process would otherwise leave one more live
   * token on the channel each time; `false` with a `store`, which may hand it to the next
   * process or another replica.
   */
  revokeOnClose?: boolean;
  /** Default {@link DEFAULT_REVOKE_GRACE_MS}. */
  revokeGraceMs?: number;
  /** Default {@link DEFAULT_REVOKE_ATTEMPTS}. */
  revokeAttempts?: number;
  /** List live v2.1 key ids before each issue and act near the 30-token limit. Default `true`. */
  checkTokenLimit?: boolean;
  /** Default {@link DEFAULT_TOKEN_LIMIT_HEADROOM}. */
  tokenLimitHeadroom?: number;
  /** Refresh at the refresh time even when no one calls `getToken()` (an unref'd timer). Default `false`. */
  keepWarm?: boolean;
  /** Default {@link DEFAULT_LOCK_TTL_MS}. */
  lockTtlMs?: number;
  /** Default {@link DEFAULT_LOCK_POLL_MS}. */
  lockPollMs?: number;
  /** Default {@link DEFAULT_STORE_TIMEOUT_MS}. */
  storeTimeoutMs?: number;
  /** After each token this manager issued. */
  onTokenIssued?: (event: TokenIssuedEvent) => void;
  /** After each failed attempt. */
  onRefreshError?: (event: RefreshErrorEvent) => void;
  /** After each revocation of a superseded token. */
  onRevoked?: (event: TokenRevokedEvent) => void;
  /** Non-fatal trouble: no channel secret to revoke with, the store down or back, near the limit. */
  onWarning?: (warning: TokenManagerWarning) => void;
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
   * v2.1: live tokens the channel held at the last check that this manager cannot account
   * for (possibly tokens whose answer was lost); `undefined` before the first check.
   */
  readonly unaccountedTokens?: number | undefined;
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
