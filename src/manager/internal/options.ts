/**
 * Checks {@link TokenManagerOptions} once, at construction, into a complete normalized
 * object, so the refresh path never re-validates or falls back to defaults.
 *
 * @module
 */
import {
  booleanOption,
  durationOption,
  fractionOption,
  functionOption,
  integerOption,
  invalidOption,
  objectOption,
} from '../../internal/validate.js';
import { LIVE_TOKEN_LIMIT } from '../../line/facts.js';
import { TOKEN_MANAGER_DEFAULTS as D } from '../defaults.js';
import type { ManagerTimers, TokenManagerOptions } from '../types.js';
import type { BackoffPolicy, WindowPolicy } from './policy.js';
import { systemTimers } from './timers.js';
import { clocks, timeouts } from './option-parts.js';
import { checkOptionNames } from './option-names.js';
import { telemetryOption } from '../../telemetry/internal/observe.js';
import type { Telemetry } from '../../telemetry/types.js';
import { quietCallback, safeCallback } from '../../internal/safe-callback.js';

/** The manager's options after checking, minus strategy, client and store. */
export interface Settings {
  readonly window: WindowPolicy;
  readonly backoff: BackoffPolicy;
  readonly maxAttempts: number;
  readonly maxPermanentFailures: number;
  /** The first timeout of an issue call, ms (the user's `clientOptions.timeoutMs`). */
  readonly issueTimeoutMs: number;
  /** The longest timeout of an issue call, ms. */
  readonly maxIssueTimeoutMs: number;
  /** The timeout of the other calls (list, revoke), ms. */
  readonly callTimeoutMs: number;
  /** The `revoke` group, checked (`onClose` resolved from whether a store was given). */
  readonly revoke: {
    readonly superseded: boolean;
    readonly onClose: boolean;
    readonly graceMs: number;
    readonly attempts: number;
  };
  /** The `tokenLimit` group, checked. */
  readonly tokenLimit: {
    readonly check: boolean;
    readonly headroom: number;
    /** v2.1: unaccounted live tokens at which issuing stops. */
    readonly unaccountedBudget: number;
  };
  readonly keepWarm: boolean;
  /** The `lock` group, checked. */
  readonly lock: { readonly ttlMs: number; readonly pollMs: number };
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
  /** `undefined`: no telemetry work at all. */
  readonly telemetry: Telemetry | undefined;
}

/** The hooks, each present (a no-op when not given). */
export interface Hooks {
  readonly onTokenIssued: NonNullable<TokenManagerOptions['onTokenIssued']>;
  readonly onRefreshError: NonNullable<TokenManagerOptions['onRefreshError']>;
  readonly onRevoked: NonNullable<TokenManagerOptions['onRevoked']>;
  readonly onWarning: NonNullable<TokenManagerOptions['onWarning']>;
}

const noop = (): void => {};

/**
 * Checks every option (unknown keys and 0.1 names included) into {@link Settings}.
 * `strategy`, `client`, `clientOptions` and `store` are checked where they are used.
 */
export function normalizeSettings(options: TokenManagerOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    invalidOption('options', 'an object of TokenManager options with a "strategy"', options);
  }
  const o = options as unknown as Record<string, unknown>;
  checkOptionNames(o, 'TokenManager');
  const refresh = objectOption('refresh', o.refresh);
  const retry = objectOption('retry', o.retry);
  const limit = objectOption('tokenLimit', o.tokenLimit);
  const revoke = objectOption('revoke', o.revoke);
  const lock = objectOption('lock', o.lock);
  const minMs = durationOption(
    'refresh.minWindowMs',
    refresh.minWindowMs,
    D.refresh.minWindowMs,
    0,
  );
  const maxMs = integerOption('refresh.maxWindowMs', refresh.maxWindowMs, D.refresh.maxWindowMs, {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
  });
  if (maxMs < minMs)
    invalidOption('refresh.maxWindowMs', `at least "refresh.minWindowMs" (${minMs})`, maxMs);
  const backoffMs = durationOption('retry.backoffMs', retry.backoffMs, D.retry.backoffMs);
  const backoffLimitMs = durationOption(
    'retry.backoffLimitMs',
    retry.backoffLimitMs,
    D.retry.backoffLimitMs,
  );
  if (backoffLimitMs < backoffMs) {
    invalidOption(
      'retry.backoffLimitMs',
      `at least "retry.backoffMs" (${backoffMs})`,
      backoffLimitMs,
    );
  }
  const timers = o.timers ?? systemTimers;
  if (
    typeof timers !== 'object' ||
    timers === null ||
    typeof (timers as ManagerTimers).setTimeout !== 'function' ||
    typeof (timers as ManagerTimers).clearTimeout !== 'function'
  ) {
    invalidOption('timers', 'an object with setTimeout and clearTimeout functions', timers);
  }
  return {
    window: {
      fraction: fractionOption(
        'refresh.windowFraction',
        refresh.windowFraction,
        D.refresh.windowFraction,
        false,
      ),
      minMs,
      maxMs,
      jitter: fractionOption('refresh.jitter', refresh.jitter, D.refresh.jitter, true),
      expiryMarginMs: durationOption(
        'refresh.expiryMarginMs',
        refresh.expiryMarginMs,
        D.refresh.expiryMarginMs,
        0,
      ),
    },
    backoff: { initialMs: backoffMs, maxMs: backoffLimitMs },
    maxAttempts: integerOption('retry.limit', retry.limit, D.retry.limit, { min: 0, max: 99 }) + 1,
    ...timeouts(o, retry.issueTimeoutLimitMs),
    maxPermanentFailures: integerOption(
      'retry.permanentFailureLimit',
      retry.permanentFailureLimit,
      D.retry.permanentFailureLimit,
      { min: 1, max: 100 },
    ),
    revoke: {
      superseded: booleanOption('revoke.superseded', revoke.superseded, D.revoke.superseded),
      // Only this manager can ever hold a token kept in its own memory.
      onClose: booleanOption('revoke.onClose', revoke.onClose, o.store === undefined),
      graceMs: durationOption('revoke.graceMs', revoke.graceMs, D.revoke.graceMs, 0),
      attempts: integerOption('revoke.attempts', revoke.attempts, D.revoke.attempts, {
        min: 1,
        max: 100,
      }),
    },
    tokenLimit: {
      check: booleanOption('tokenLimit.check', limit.check, D.tokenLimit.check),
      headroom: integerOption('tokenLimit.headroom', limit.headroom, D.tokenLimit.headroom, {
        min: 0,
        max: LIVE_TOKEN_LIMIT - 1,
      }),
      unaccountedBudget: integerOption(
        'tokenLimit.unaccountedBudget',
        limit.unaccountedBudget,
        D.tokenLimit.unaccountedBudget,
        { min: 1, max: LIVE_TOKEN_LIMIT - 1 },
      ),
    },
    keepWarm: booleanOption('refresh.keepWarm', refresh.keepWarm, D.refresh.keepWarm),
    lock: {
      ttlMs: durationOption('lock.ttlMs', lock.ttlMs, D.lock.ttlMs),
      pollMs: durationOption('lock.pollMs', lock.pollMs, D.lock.pollMs),
    },
    storeTimeoutMs: durationOption('storeTimeoutMs', o.storeTimeoutMs, D.storeTimeoutMs),
    ...clocks(o),
    timers: timers as ManagerTimers,
    random: functionOption('random', o.random, Math.random),
    hooks: hooksOf(options),
    telemetry: telemetryOption('telemetry', o.telemetry),
  };
}

/**
 * The hooks, each made safe once here: one that throws or returns a rejected promise is
 * reported as `HOOK_FAILED` through `onWarning` and changes nothing else. A failing
 * `onWarning` has no one left to tell: its failure is dropped (never reported to itself).
 */
function hooksOf(o: TokenManagerOptions): Hooks {
  const onWarning = quietCallback(functionOption('onWarning', o.onWarning, noop));
  const guard = <A>(name: HookName, hook: ((arg: A) => void) | undefined): ((arg: A) => void) =>
    safeCallback(functionOption(name, hook, noop), (cause) =>
      onWarning({ code: 'HOOK_FAILED', message: `the ${name} hook failed`, cause }),
    );
  return {
    onTokenIssued: guard('onTokenIssued', o.onTokenIssued),
    onRefreshError: guard('onRefreshError', o.onRefreshError),
    onRevoked: guard('onRevoked', o.onRevoked),
    onWarning,
  };
}

type HookName = Exclude<keyof Hooks, 'onWarning'>;

/** The `onWarning` hook, which never throws (see {@link hooksOf}). */
export function warnerOf(settings: Settings): (warning: Parameters<Hooks['onWarning']>[0]) => void {
  return settings.hooks.onWarning;
}
