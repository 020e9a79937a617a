/**
 * Checks {@link TokenManagerOptions} once, at construction, into a complete normalized
 * object, so the refresh path never re-validates or falls back to defaults.
 *
 * @module
 */
import {
  DEFAULT_REFRESH_BACKOFF_MS,
  DEFAULT_REFRESH_BACKOFF_LIMIT_MS,
  DEFAULT_EXPIRY_MARGIN_MS,
  DEFAULT_LOCK_POLL_MS,
  DEFAULT_LOCK_TTL_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_PERMANENT_FAILURES,
  DEFAULT_MAX_REFRESH_WINDOW_MS,
  DEFAULT_MIN_REFRESH_WINDOW_MS,
  DEFAULT_REFRESH_JITTER,
  DEFAULT_REFRESH_WINDOW_FRACTION,
  DEFAULT_REVOKE_ATTEMPTS,
  DEFAULT_REVOKE_GRACE_MS,
  DEFAULT_STORE_TIMEOUT_MS,
  DEFAULT_TOKEN_LIMIT_HEADROOM,
  DEFAULT_UNACCOUNTED_TOKEN_BUDGET,
  LIVE_TOKEN_LIMIT,
} from '../defaults.js';
import type { ManagerTimers, TokenManagerOptions } from '../types.js';
import type { BackoffPolicy, WindowPolicy } from './policy.js';
import { systemTimers } from './timers.js';
import {
  boolean,
  clocks,
  fail,
  fn,
  fraction,
  integer,
  MAX_DELAY_MS,
  mergeRetry,
  timeouts,
} from './option-parts.js';

/** The manager's options after checking, minus strategy, client and store. */
export interface Settings {
  readonly window: WindowPolicy;
  readonly backoff: BackoffPolicy;
  readonly maxAttempts: number;
  readonly maxPermanentFailures: number;
  /** v2.1: unaccounted live tokens at which issuing stops. */
  readonly unaccountedTokenBudget: number;
  /** The first timeout of an issue call, ms (the user's `clientOptions.timeoutMs`). */
  readonly issueTimeoutMs: number;
  /** The longest timeout of an issue call, ms. */
  readonly maxIssueTimeoutMs: number;
  /** The timeout of the other calls (list, revoke), ms. */
  readonly callTimeoutMs: number;
  readonly revokeSuperseded: boolean;
  readonly revokeOnClose: boolean;
  readonly revokeGraceMs: number;
  readonly revokeAttempts: number;
  readonly checkTokenLimit: boolean;
  readonly tokenLimitHeadroom: number;
  readonly keepWarm: boolean;
  readonly lockTtlMs: number;
  readonly lockPollMs: number;
  readonly storeTimeoutMs: number;
  /**
   * The manager's clock, epoch ms: the system clock at construction plus the time elapsed
   * on a monotonic clock, so a system clock that steps does not move token expiries. With
   * only `now` injected (tests on a virtual clock) it is that clock.
   */
  readonly now: () => number;
  /** The system clock (the `now` option), for what other processes read: the store. */
  readonly wallNow: () => number;
  readonly timers: ManagerTimers;
  readonly random: () => number;
  readonly hooks: Hooks;
}

/** The hooks, each present (a no-op when not given). */
export interface Hooks {
  readonly onTokenIssued: NonNullable<TokenManagerOptions['onTokenIssued']>;
  readonly onRefreshError: NonNullable<TokenManagerOptions['onRefreshError']>;
  readonly onRevoked: NonNullable<TokenManagerOptions['onRevoked']>;
  readonly onWarning: NonNullable<TokenManagerOptions['onWarning']>;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  'strategy',
  'client',
  'clientOptions',
  'store',
  'storeKey',
  'now',
  'timers',
  'random',
  'refreshWindowFraction',
  'minRefreshWindowMs',
  'maxRefreshWindowMs',
  'refreshJitter',
  'expiryMarginMs',
  'backoffInitialMs',
  'backoffMaxMs',
  'maxAttempts',
  'retry',
  'unaccountedTokenBudget',
  'maxIssueTimeoutMs',
  'maxPermanentFailures',
  'revokeSuperseded',
  'revokeOnClose',
  'revokeGraceMs',
  'revokeAttempts',
  'checkTokenLimit',
  'tokenLimitHeadroom',
  'keepWarm',
  'lockTtlMs',
  'lockPollMs',
  'storeTimeoutMs',
  'onTokenIssued',
  'onRefreshError',
  'onRevoked',
  'onWarning',
  'monotonicNow',
]);

const noop = (): void => {};

export function normalizeSettings(options: TokenManagerOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    fail('options', 'TokenManager needs an options object with a "strategy"');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) fail(key, `unknown TokenManager option "${key}"`);
  }
  const o = { ...(options as unknown as Record<string, unknown>) };
  mergeRetry(o);
  const minMs = integer(
    'minRefreshWindowMs',
    o.minRefreshWindowMs,
    DEFAULT_MIN_REFRESH_WINDOW_MS,
    0,
    MAX_DELAY_MS,
  );
  const maxMs = integer(
    'maxRefreshWindowMs',
    o.maxRefreshWindowMs,
    DEFAULT_MAX_REFRESH_WINDOW_MS,
    0,
    Number.MAX_SAFE_INTEGER,
  );
  if (maxMs < minMs)
    fail(
      'maxRefreshWindowMs',
      '"maxRefreshWindowMs" option must not be below "minRefreshWindowMs"',
    );
  const initialMs = integer(
    'backoffInitialMs',
    o.backoffInitialMs,
    DEFAULT_REFRESH_BACKOFF_MS,
    1,
    MAX_DELAY_MS,
  );
  const backoffMaxMs = integer(
    'backoffMaxMs',
    o.backoffMaxMs,
    DEFAULT_REFRESH_BACKOFF_LIMIT_MS,
    1,
    MAX_DELAY_MS,
  );
  if (backoffMaxMs < initialMs)
    fail('backoffMaxMs', '"backoffMaxMs" option must not be below "backoffInitialMs"');
  const timers = o.timers ?? systemTimers;
  if (
    typeof timers !== 'object' ||
    timers === null ||
    typeof (timers as ManagerTimers).setTimeout !== 'function' ||
    typeof (timers as ManagerTimers).clearTimeout !== 'function'
  ) {
    fail('timers', '"timers" option must be an object with setTimeout and clearTimeout functions');
  }
  return {
    window: {
      fraction: fraction(
        'refreshWindowFraction',
        o.refreshWindowFraction,
        DEFAULT_REFRESH_WINDOW_FRACTION,
        false,
      ),
      minMs,
      maxMs,
      jitter: fraction('refreshJitter', o.refreshJitter, DEFAULT_REFRESH_JITTER, true),
      expiryMarginMs: integer(
        'expiryMarginMs',
        o.expiryMarginMs,
        DEFAULT_EXPIRY_MARGIN_MS,
        0,
        MAX_DELAY_MS,
      ),
    },
    backoff: { initialMs, maxMs: backoffMaxMs },
    maxAttempts: integer('maxAttempts', o.maxAttempts, DEFAULT_MAX_ATTEMPTS, 1, 100),
    unaccountedTokenBudget: integer(
      'unaccountedTokenBudget',
      o.unaccountedTokenBudget,
      DEFAULT_UNACCOUNTED_TOKEN_BUDGET,
      1,
      LIVE_TOKEN_LIMIT - 1,
    ),
    ...timeouts(o),
    maxPermanentFailures: integer(
      'maxPermanentFailures',
      o.maxPermanentFailures,
      DEFAULT_MAX_PERMANENT_FAILURES,
      1,
      100,
    ),
    revokeSuperseded: boolean('revokeSuperseded', o.revokeSuperseded, true),
    // Only this manager can ever hold a token kept in its own memory.
    revokeOnClose: boolean('revokeOnClose', o.revokeOnClose, o.store === undefined),
    revokeGraceMs: integer(
      'revokeGraceMs',
      o.revokeGraceMs,
      DEFAULT_REVOKE_GRACE_MS,
      0,
      MAX_DELAY_MS,
    ),
    revokeAttempts: integer('revokeAttempts', o.revokeAttempts, DEFAULT_REVOKE_ATTEMPTS, 1, 100),
    checkTokenLimit: boolean('checkTokenLimit', o.checkTokenLimit, true),
    tokenLimitHeadroom: integer(
      'tokenLimitHeadroom',
      o.tokenLimitHeadroom,
      DEFAULT_TOKEN_LIMIT_HEADROOM,
      0,
      LIVE_TOKEN_LIMIT - 1,
    ),
    keepWarm: boolean('keepWarm', o.keepWarm, false),
    lockTtlMs: integer('lockTtlMs', o.lockTtlMs, DEFAULT_LOCK_TTL_MS, 1, MAX_DELAY_MS),
    lockPollMs: integer('lockPollMs', o.lockPollMs, DEFAULT_LOCK_POLL_MS, 1, MAX_DELAY_MS),
    storeTimeoutMs: integer(
      'storeTimeoutMs',
      o.storeTimeoutMs,
      DEFAULT_STORE_TIMEOUT_MS,
      1,
      MAX_DELAY_MS,
    ),
    ...clocks(o),
    timers: timers as ManagerTimers,
    random: fn('random', o.random, Math.random),
    hooks: {
      onTokenIssued: fn('onTokenIssued', o.onTokenIssued, noop),
      onRefreshError: fn('onRefreshError', o.onRefreshError, noop),
      onRevoked: fn('onRevoked', o.onRevoked, noop),
      onWarning: fn('onWarning', o.onWarning, noop),
    },
  };
}

/** The `onWarning` hook, made safe: a hook that throws has no one left to tell. */
export function warnerOf(settings: Settings): (warning: Parameters<Hooks['onWarning']>[0]) => void {
  return (warning) => {
    try {
      settings.hooks.onWarning(warning);
    } catch {
      // Ignored on purpose: see above.
    }
  };
}
