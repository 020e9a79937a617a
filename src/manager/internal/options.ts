/**
 * Checks {@link TokenManagerOptions} once, at construction, into a complete normalized
 * object, so the refresh path never re-validates or falls back to defaults.
 *
 * @module
 */
import { CLIENT_DEFAULTS } from '../../client/defaults.js';
import { readOptions, type ReadOptions } from '../../internal/options-spec.js';
import { durationOption, invalidOption } from '../../internal/validate.js';
import type { ManagerTimers } from '../types.js';
import type { TokenManagerOptions } from '../options.js';
import type { BackoffPolicy, WindowPolicy } from './policy.js';
import { DEFAULT_ISSUE_TIMEOUT_MS } from '../constants.js';
import { MANAGER_CONTEXT, TOKEN_MANAGER_SPEC } from './spec.js';
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
 * Checks every option (unknown keys and 0.1 names included) into {@link Settings}, with
 * the manager's spec (spec.ts). `strategy`, `client`, `clientOptions` and `store` are
 * checked where they are used.
 */
export function normalizeSettings(options: TokenManagerOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    invalidOption('options', 'an object of TokenManager options with a "strategy"', options);
  }
  const o = readOptions(TOKEN_MANAGER_SPEC, options, MANAGER_CONTEXT);
  const { refresh, retry, revoke } = o;
  return {
    window: {
      fraction: refresh.windowFraction,
      minMs: refresh.minWindowMs,
      maxMs: refresh.maxWindowMs,
      jitter: refresh.jitter,
      expiryMarginMs: refresh.expiryMarginMs,
    },
    backoff: { initialMs: retry.backoffMs, maxMs: retry.backoffLimitMs },
    maxAttempts: retry.limit + 1,
    ...timeouts(options, retry.issueTimeoutLimitMs),
    maxPermanentFailures: retry.permanentFailureLimit,
    // Only this manager can ever hold a token kept in its own memory.
    revoke: { ...revoke, onClose: revoke.onClose ?? o.store === undefined },
    tokenLimit: o.tokenLimit,
    keepWarm: refresh.keepWarm,
    lock: o.lock,
    storeTimeoutMs: o.storeTimeoutMs,
    ...clocks(o.now, o.monotonicNow),
    timers: o.timers,
    random: o.random,
    hooks: hooksOf(o),
    telemetry: o.telemetry,
  };
}

/**
 * Decisions in process run on a monotonic clock anchored to the system clock once, so a
 * clock stepping by 40 s (NTP, a VM resumed) neither serves an expired token nor drops a
 * valid one. A test that injects only `now` drives everything with it.
 */
function clocks(
  wall: (() => number) | undefined,
  mono: (() => number) | undefined,
): Pick<Settings, 'now' | 'wallNow'> {
  if (mono === undefined && wall === undefined) {
    const perf = (globalThis as { performance?: { now(): number } }).performance;
    if (perf !== undefined && typeof perf.now === 'function') mono = () => perf.now();
  }
  const wallNow = wall ?? Date.now;
  if (mono === undefined) return { now: wallNow, wallNow };
  const monotonic = mono;
  const wall0 = wallNow();
  const mono0 = monotonic();
  return { now: () => wall0 + (monotonic() - mono0), wallNow };
}

/**
 * The call timeouts (see {@link Settings.issueTimeoutMs}): the user's
 * `clientOptions.timeoutMs` starts the issue timeouts, which `retry.issueTimeoutLimitMs`
 * caps; its default grows to the user's timeout when that is longer.
 */
function timeouts(
  options: TokenManagerOptions,
  givenLimitMs: number,
): Pick<Settings, 'issueTimeoutMs' | 'maxIssueTimeoutMs' | 'callTimeoutMs'> {
  const client = options.clientOptions as { timeoutMs?: unknown } | undefined;
  const given = typeof client === 'object' && client !== null ? client.timeoutMs : undefined;
  const user =
    given === undefined ? undefined : durationOption('clientOptions.timeoutMs', given, 0);
  const limitGiven = options.retry?.issueTimeoutLimitMs !== undefined;
  const maxIssueTimeoutMs = limitGiven ? givenLimitMs : Math.max(givenLimitMs, user ?? 0);
  return {
    issueTimeoutMs: Math.min(user ?? DEFAULT_ISSUE_TIMEOUT_MS, maxIssueTimeoutMs),
    maxIssueTimeoutMs,
    callTimeoutMs: user ?? CLIENT_DEFAULTS.timeoutMs,
  };
}

/**
 * The hooks, each made safe once here: one that throws or returns a rejected promise is
 * reported as `HOOK_FAILED` through `onWarning` and changes nothing else. A failing
 * `onWarning` has no one left to tell: its failure is dropped (never reported to itself).
 */
function hooksOf(o: ReadOptions<typeof TOKEN_MANAGER_SPEC>): Hooks {
  const onWarning = quietCallback(o.onWarning ?? noop);
  const guard = <A>(name: HookName, hook: ((arg: A) => void) | undefined): ((arg: A) => void) =>
    safeCallback(hook ?? noop, (cause) =>
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
