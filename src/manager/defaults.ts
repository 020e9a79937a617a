/**
 * The token manager's defaults, as one frozen object shaped like
 * {@link TokenManagerOptions}: `TOKEN_MANAGER_DEFAULTS.revoke.graceMs` is the default of
 * the `revoke.graceMs` option. Each value names its unit.
 *
 * @module
 */
import type { TokenManagerOptions } from './types.js';

/**
 * The defaults of {@link TokenManagerOptions}, group by group. Read-only (frozen all the
 * way down); pass options to override them.
 *
 * `revoke.onClose` has no fixed default (it is `true` without a `store`, `false` with
 * one), so it is not here.
 *
 * @example
 * ```ts
 * // Revoke superseded tokens sooner than the default minute:
 * new TokenManager({ strategy, revoke: { graceMs: TOKEN_MANAGER_DEFAULTS.revoke.graceMs / 2 } });
 * ```
 */
export const TOKEN_MANAGER_DEFAULTS = deepFreeze({
  /** The longest a single store call may take before the manager treats the store as down, ms. */
  storeTimeoutMs: 5_000,
  refresh: {
    /**
     * The refresh window is this fraction of the token's lifetime (then clamped), so a
     * 15-minute stateless token is replaced 3 minutes before expiry, a 1-hour one 12.
     */
    windowFraction: 0.2,
    /** The shortest refresh window, ms (never more than half the lifetime). */
    minWindowMs: 60_000,
    /**
     * The longest refresh window, ms: a 30-day token is replaced one day before it
     * expires, not six, which keeps a channel's live-token count low.
     */
    maxWindowMs: 86_400_000,
    /** Each window is widened by up to this fraction of itself, so processes do not refresh in lockstep. */
    jitter: 0.25,
    /** A token is never handed out later than this before its expiry (at most a quarter of its life), ms. */
    expiryMarginMs: 30_000,
    /** Refresh on a timer even when no one calls `getToken()`. */
    keepWarm: false,
  },
  retry: {
    /** Retries after the first attempt while a caller has no token (4 attempts in all). */
    limit: 3,
    /**
     * The first wait after a transient failure, ms, doubled per failure. Longer than the
     * client's 500 ms on purpose: the client retries one HTTP call, the manager a whole
     * refresh, usually with a valid token still in hand.
     */
    backoffMs: 1_000,
    /** The longest wait, ms; also the wait after a permanent failure and the cap on `Retry-After`. */
    backoffLimitMs: 60_000,
    /**
     * Permanent failures (bad credentials, bad key, the 30-token limit) before the manager
     * stops asking LINE: `getToken()` then rejects at once until a new manager is made.
     */
    permanentFailureLimit: 3,
    /**
     * The longest timeout of an issue call, ms: after an issue timed out (LINE may have
     * issued a token whose answer was lost) the next gets twice the time, up to this.
     */
    issueTimeoutLimitMs: 120_000,
  },
  tokenLimit: {
    /** List live v2.1 key ids before each issue and act near LINE's 30-token limit. */
    check: true,
    /**
     * The ceiling is `30 - headroom` live v2.1 tokens, whoever holds them: the manager
     * issues none past it.
     */
    headroom: 2,
    /**
     * v2.1 tokens this manager (or its fleet, through the store) may have left live and
     * unheld at which it stops issuing until they expire.
     */
    unaccountedBudget: 5,
  },
  revoke: {
    /** Revoke superseded v2.1 and short-lived tokens. */
    superseded: true,
    /** How long a superseded token stays live for requests already using it, ms. */
    graceMs: 60_000,
    /**
     * Attempts at revoking one superseded token; with the 60 s backoff cap, 20 span about a
     * quarter of an hour, enough to ride out an outage.
     */
    attempts: 20,
  },
  lock: {
    /** How long the store's "who issues next" lock is held at most, ms: a crashed holder blocks no longer. */
    ttlMs: 30_000,
    /** How long one wait for another process's write lasts before the lock is tried again, ms. */
    pollMs: 250,
  },
} as const);

/** The type of {@link TOKEN_MANAGER_DEFAULTS}: every default, read-only, by group. */
export type TokenManagerDefaultValues = typeof TOKEN_MANAGER_DEFAULTS;

// Every group and key above is an option of TokenManagerOptions: a compile-time check that
// the object cannot drift from the options it describes (a key that is no option makes
// `Unknown` non-empty, and the assignment below fails to compile).
type Groups = 'refresh' | 'retry' | 'tokenLimit' | 'revoke' | 'lock';
type Unknown =
  | Exclude<keyof TokenManagerDefaultValues, keyof TokenManagerOptions>
  | {
      [G in Groups]: Exclude<
        keyof TokenManagerDefaultValues[G],
        keyof NonNullable<TokenManagerOptions[G]>
      >;
    }[Groups];
const onlyOptions: [Unknown] extends [never] ? true : never = true;
void onlyOptions;

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner as object);
  }
  return Object.freeze(value);
}
