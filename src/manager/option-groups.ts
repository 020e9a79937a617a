/**
 * The option groups of {@link TokenManagerOptions}: `refresh`, `retry`, `tokenLimit`,
 * `revoke` and `lock`. Each option's default is in `TOKEN_MANAGER_DEFAULTS`, under the same
 * path.
 *
 * @module
 */

/** When a token is replaced (`refresh` option group of {@link TokenManagerOptions}). */
export interface ManagerRefreshOptions {
  /**
   * The refresh window as a fraction of the token's lifetime, above 0 and up to 1; clamped
   * to `minWindowMs`..`maxWindowMs` and to half the lifetime.
   *
   * @defaultValue 0.2
   */
  windowFraction?: number;
  /**
   * The shortest refresh window, ms.
   *
   * @defaultValue 60000 (one minute)
   */
  minWindowMs?: number;
  /**
   * The longest refresh window, ms; at least `minWindowMs`.
   *
   * @defaultValue 86400000 (one day)
   */
  maxWindowMs?: number;
  /**
   * Widens each window by up to this fraction of itself, at random, 0 to 1.
   *
   * @defaultValue 0.25
   */
  jitter?: number;
  /**
   * A token is never handed out later than this before its expiry, ms.
   *
   * @defaultValue 30000
   */
  expiryMarginMs?: number;
  /**
   * Refresh at the refresh time even when no one calls `getToken()` (an unref'd timer).
   *
   * @defaultValue false
   */
  keepWarm?: boolean;
}

/**
 * Retries and backoff (`retry` option group), in the client's vocabulary
 * (`RetryOptions`) for what the two share. Waits use equal jitter drawn from `random`.
 *
 * @example
 * ```ts
 * new TokenManager({ strategy, retry: { limit: 2, backoffMs: 500, backoffLimitMs: 30_000 } });
 * ```
 */
export interface ManagerRetryOptions {
  /**
   * Retries after the first attempt while a caller has no token, 0 to 99.
   *
   * @defaultValue 3
   */
  limit?: number;
  /**
   * The first backoff wait, ms, doubled per failure.
   *
   * @defaultValue 1000
   */
  backoffMs?: number;
  /**
   * The longest backoff wait, ms (at least `backoffMs`); also the wait after a permanent
   * failure and the cap on a `Retry-After` LINE asks for.
   *
   * @defaultValue 60000
   */
  backoffLimitMs?: number;
  /**
   * Permanent failures (bad credentials, bad key, the 30-token limit) after which the
   * manager stops asking LINE; `getToken()` then rejects at once. 1 to 100.
   *
   * @defaultValue 3
   */
  permanentFailureLimit?: number;
  /**
   * The longest timeout of an issue call, ms: after an issue timed out the next one gets
   * twice the time, up to this (with a locking store, at most three quarters of
   * `lock.ttlMs`).
   *
   * @defaultValue 120000, or `clientOptions.timeoutMs` when that is longer
   */
  issueTimeoutLimitMs?: number;
}

/** LINE's 30-token limit on live v2.1 tokens (`tokenLimit` option group). */
export interface ManagerTokenLimitOptions {
  /**
   * List live v2.1 key ids before each issue and act near the 30-token limit.
   *
   * @defaultValue true
   */
  check?: boolean;
  /**
   * Slots of LINE's 30 the manager leaves free: it never takes a channel past `30 -
   * headroom` live v2.1 tokens, whoever holds them, and before taking the last slot below
   * that ceiling it revokes the superseded tokens it knows of at once and warns. 0 to 29.
   *
   * @defaultValue 2
   */
  headroom?: number;
  /**
   * v2.1 tokens this manager, or the managers sharing its store, may have left live and
   * unheld (lost answers, issues cut short by a crash, superseded tokens it failed to
   * revoke), at or above which it stops issuing until they expire; 1 to 29. Tokens of
   * other holders do not count here, only toward the ceiling.
   *
   * @defaultValue 5
   */
  unaccountedBudget?: number;
}

/** Revoking the tokens the manager no longer needs (`revoke` option group). */
export interface ManagerRevokeOptions {
  /**
   * Revoke superseded v2.1 and short-lived tokens.
   *
   * @defaultValue true
   */
  superseded?: boolean;
  /**
   * Revoke the current v2.1 or short-lived token on `close()`. With no `store` nobody can
   * use that token after `close()`, and a restarted process would otherwise leave one more
   * live token on the channel each time; a `store` may hand it to the next process or
   * another replica.
   *
   * @defaultValue `true` without a `store`, `false` with one
   */
  onClose?: boolean;
  /**
   * How long a superseded token stays live before it is revoked, ms.
   *
   * @defaultValue 60000
   */
  graceMs?: number;
  /**
   * Attempts at revoking one superseded token before it is left to expire, 1 to 100.
   *
   * @defaultValue 20
   */
  attempts?: number;
}

/** The store's "who issues next" lock, for stores that lock (`lock` option group). */
export interface ManagerLockOptions {
  /**
   * How long the lock is held at most, ms: the time a crashed holder blocks the others.
   * Keep it above the time one issue takes.
   *
   * @defaultValue 30000
   */
  ttlMs?: number;
  /**
   * How long a waiter waits for the holder's write before trying the lock again, ms.
   *
   * @defaultValue 250
   */
  pollMs?: number;
}
