/**
 * The token manager's options spec: one reader per key of {@link TokenManagerOptions} and
 * of each group, with its default, its range and the rules across keys. Every default of
 * the manager is written here once; `TOKEN_MANAGER_DEFAULTS` is derived from it.
 *
 * @module
 */
import { LIVE_TOKEN_LIMIT } from '../../line/facts.js';
import {
  boolean,
  custom,
  duration,
  fn,
  fraction,
  group,
  integer,
  optionalBoolean,
  passThrough,
  type OptionsSpec,
} from '../../internal/options-spec.js';
import { invalidOption } from '../../internal/validate.js';
import { telemetryOption } from '../../telemetry/observe.js';
import type { TokenManagerOptions } from '../options.js';
import type {
  ManagerLockOptions,
  ManagerRefreshOptions,
  ManagerRetryOptions,
  ManagerRevokeOptions,
  ManagerTokenLimitOptions,
} from '../option-groups.js';
import type { ManagerTimers } from '../types.js';
import { systemTimers } from './timers.js';

const REFRESH = {
  /**
   * The refresh window is this fraction of the token's lifetime (then clamped), so a
   * 15-minute stateless token is replaced 3 minutes before expiry, a 1-hour one 12.
   */
  windowFraction: fraction(0.2, false),
  /** The shortest refresh window, ms (never more than half the lifetime). */
  minWindowMs: duration(60_000, 0),
  /**
   * The longest refresh window, ms: a 30-day token is replaced one day before it
   * expires, not six, which keeps a channel's live-token count low.
   */
  maxWindowMs: integer(86_400_000, 0, Number.MAX_SAFE_INTEGER),
  /** Each window is widened by up to this fraction of itself, so processes do not refresh in lockstep. */
  jitter: fraction(0.25, true),
  /** A token is never handed out later than this before its expiry (at most a quarter of its life), ms. */
  expiryMarginMs: duration(30_000, 0),
  /** Refresh on a timer even when no one calls `getToken()`. */
  keepWarm: boolean(false),
} satisfies OptionsSpec<ManagerRefreshOptions>;

const RETRY = {
  /** Retries after the first attempt while a caller has no token (4 attempts in all). */
  limit: integer(3, 0, 99),
  /**
   * The first wait after a transient failure, ms, doubled per failure. Longer than the
   * client's 500 ms on purpose: the client retries one HTTP call, the manager a whole
   * refresh, usually with a valid token still in hand.
   */
  backoffMs: duration(1_000),
  /** The longest wait, ms; also the wait after a permanent failure and the cap on `Retry-After`. */
  backoffLimitMs: duration(60_000),
  /**
   * Permanent failures (bad credentials, bad key, the 30-token limit) before the manager
   * stops asking LINE: `getToken()` then rejects at once until a new manager is made.
   */
  permanentFailureLimit: integer(3, 1, 100),
  /**
   * The longest timeout of an issue call, ms: after an issue timed out (LINE may have
   * issued a token whose answer was lost) the next gets twice the time, up to this.
   */
  issueTimeoutLimitMs: duration(120_000),
} satisfies OptionsSpec<ManagerRetryOptions>;

const TOKEN_LIMIT = {
  /** List live v2.1 key ids before each issue and act near LINE's 30-token limit. */
  check: boolean(true),
  /**
   * The ceiling is `30 - headroom` live v2.1 tokens, whoever holds them: the manager
   * issues none past it.
   */
  headroom: integer(2, 0, LIVE_TOKEN_LIMIT - 1),
  /**
   * v2.1 tokens this manager (or its fleet, through the store) may have left live and
   * unheld at which it stops issuing until they expire.
   */
  unaccountedBudget: integer(5, 1, LIVE_TOKEN_LIMIT - 1),
} satisfies OptionsSpec<ManagerTokenLimitOptions>;

const REVOKE = {
  /** Revoke superseded v2.1 and short-lived tokens. */
  superseded: boolean(true),
  // No fixed default: only a manager without a store can hold a token in its own memory,
  // so it is `true` without a `store` and `false` with one.
  onClose: optionalBoolean(),
  /** How long a superseded token stays live for requests already using it, ms. */
  graceMs: duration(60_000, 0),
  /**
   * Attempts at revoking one superseded token; with the 60 s backoff cap, 20 span about a
   * quarter of an hour, enough to ride out an outage.
   */
  attempts: integer(20, 1, 100),
} satisfies OptionsSpec<ManagerRevokeOptions>;

const LOCK = {
  /** How long the store's "who issues next" lock is held at most, ms: a crashed holder blocks no longer. */
  ttlMs: duration(30_000),
  /** How long one wait for another process's write lasts before the lock is tried again, ms. */
  pollMs: duration(250),
} satisfies OptionsSpec<ManagerLockOptions>;

const inGroup = (name: string): string => `TokenManager "${name}"`;

function timers(value: unknown, path: string): ManagerTimers {
  if (value === undefined) return systemTimers;
  if (!isTimers(value)) {
    invalidOption(path, 'an object with setTimeout and clearTimeout functions', value);
  }
  return value;
}

function isTimers(value: unknown): value is ManagerTimers {
  if (typeof value !== 'object' || value === null) return false;
  const { setTimeout, clearTimeout } = value as Record<string, unknown>;
  return typeof setTimeout === 'function' && typeof clearTimeout === 'function';
}

/** The manager's readers; `strategy`, `client`, `clientOptions` and `store` are checked where they are used. */
export const TOKEN_MANAGER_SPEC = {
  strategy: passThrough<TokenManagerOptions['strategy']>(),
  client: passThrough<TokenManagerOptions['client']>(),
  clientOptions: passThrough<TokenManagerOptions['clientOptions']>(),
  store: passThrough<TokenManagerOptions['store']>(),
  storeKey: passThrough<string>(),
  /** The longest a single store call may take before the manager treats the store as down, ms. */
  storeTimeoutMs: duration(5_000),
  refresh: group(REFRESH, {
    where: inGroup('refresh'),
    rules: (r) => {
      if (r.maxWindowMs < r.minWindowMs) {
        invalidOption(
          'refresh.maxWindowMs',
          `at least "refresh.minWindowMs" (${r.minWindowMs})`,
          r.maxWindowMs,
        );
      }
    },
  }),
  retry: group(RETRY, {
    where: inGroup('retry'),
    rules: (r) => {
      if (r.backoffLimitMs < r.backoffMs) {
        invalidOption(
          'retry.backoffLimitMs',
          `at least "retry.backoffMs" (${r.backoffMs})`,
          r.backoffLimitMs,
        );
      }
    },
  }),
  tokenLimit: group(TOKEN_LIMIT, { where: inGroup('tokenLimit') }),
  revoke: group(REVOKE, { where: inGroup('revoke') }),
  lock: group(LOCK, { where: inGroup('lock') }),
  onTokenIssued: fn<TokenManagerOptions['onTokenIssued']>(undefined),
  onRefreshError: fn<TokenManagerOptions['onRefreshError']>(undefined),
  onRevoked: fn<TokenManagerOptions['onRevoked']>(undefined),
  onWarning: fn<TokenManagerOptions['onWarning']>(undefined),
  telemetry: custom((value, path) => telemetryOption(path, value)),
  now: fn<(() => number) | undefined>(undefined),
  monotonicNow: fn<(() => number) | undefined>(undefined),
  timers: custom(timers),
  random: fn<() => number>(Math.random),
} satisfies OptionsSpec<TokenManagerOptions>;

/** The option groups, in the order of the docs. */
export const GROUP_NAMES = [
  'refresh',
  'retry',
  'tokenLimit',
  'revoke',
  'lock',
] as const satisfies ReadonlyArray<keyof typeof TOKEN_MANAGER_SPEC>;

/**
 * The flat names of 0.1 (and the retry aliases), each with its new path: a user upgrading
 * is told exactly what to write instead of a bare "unknown option".
 */
export const MOVED_OPTIONS = {
  refreshWindowFraction: 'refresh.windowFraction',
  minRefreshWindowMs: 'refresh.minWindowMs',
  maxRefreshWindowMs: 'refresh.maxWindowMs',
  refreshJitter: 'refresh.jitter',
  expiryMarginMs: 'refresh.expiryMarginMs',
  keepWarm: 'refresh.keepWarm',
  // maxAttempts counted the first attempt; retry.limit counts retries only.
  maxAttempts: { to: 'retry.limit', note: 'one less: it counts retries after the first attempt' },
  backoffInitialMs: 'retry.backoffMs',
  backoffMaxMs: 'retry.backoffLimitMs',
  maxPermanentFailures: 'retry.permanentFailureLimit',
  maxIssueTimeoutMs: 'retry.issueTimeoutLimitMs',
  checkTokenLimit: 'tokenLimit.check',
  tokenLimitHeadroom: 'tokenLimit.headroom',
  unaccountedTokenBudget: 'tokenLimit.unaccountedBudget',
  revokeSuperseded: 'revoke.superseded',
  revokeOnClose: 'revoke.onClose',
  revokeGraceMs: 'revoke.graceMs',
  revokeAttempts: 'revoke.attempts',
  lockTtlMs: 'lock.ttlMs',
  lockPollMs: 'lock.pollMs',
} as const;

/** How the manager's options are read: its name in messages and the moved names. */
export const MANAGER_CONTEXT = {
  where: 'TokenManager',
  moved: MOVED_OPTIONS,
  movedWhy:
    'the TokenManager options are grouped by what they tune, and the flat names are gone (see the CHANGELOG)',
} as const;
