/**
 * The checks behind {@link normalizeSettings}: typed option readers, and the option groups
 * that take more than one line (clocks, the retry vocabulary, call timeouts).
 *
 * @module
 */
import { DEFAULT_TIMEOUT_MS } from '../../client/options.js';
import { InvalidArgumentError } from '../../errors.js';
import { DEFAULT_ISSUE_TIMEOUT_MS, DEFAULT_MAX_ISSUE_TIMEOUT_MS } from '../defaults.js';
import type { Settings } from './options.js';

/** The longest delay setTimeout takes (a signed 32-bit integer): about 24.8 days, ms. */
export const MAX_DELAY_MS = 2_147_483_647;

/** Throws the {@link InvalidArgumentError} naming the option. */
export function fail(name: string, message: string): never {
  throw new InvalidArgumentError(name, message);
}

/** An integer option in [min, max], or `fallback` when absent. */
export function integer(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    fail(name, `"${name}" option must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A fraction option in (0, 1] (or [0, 1]), or `fallback` when absent. */
export function fraction(
  name: string,
  value: unknown,
  fallback: number,
  allowZero: boolean,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(allowZero ? value >= 0 : value > 0) || value > 1) {
    fail(name, `"${name}" option must be a number ${allowZero ? 'from 0' : 'above 0 and up'} to 1`);
  }
  return value;
}

/** A boolean option, or `fallback` when absent. */
export function boolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(name, `"${name}" option must be true or false`);
  return value;
}

/** A function option, or `fallback` when absent. */
export function fn<T>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') fail(name, `"${name}" option must be a function`);
  return value as T;
}

/**
 * Decisions in process run on a monotonic clock anchored to the system clock once, so a
 * clock stepping by 40 s (NTP, a VM resumed) neither serves an expired token nor drops a
 * valid one. A test that injects only `now` drives everything with it.
 */
export function clocks(o: Record<string, unknown>): Pick<Settings, 'now' | 'wallNow'> {
  const wall = fn<(() => number) | undefined>('now', o.now, undefined);
  let mono = fn<(() => number) | undefined>('monotonicNow', o.monotonicNow, undefined);
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

/** `retry` speaks the client's vocabulary; the older names stay as aliases, never both. */
export function mergeRetry(o: Record<string, unknown>): void {
  const retry = o.retry;
  if (retry === undefined) return;
  if (typeof retry !== 'object' || retry === null) {
    fail('retry', '"retry" option must be an object such as { limit, backoffMs, backoffLimitMs }');
  }
  const r = retry as Record<string, unknown>;
  const aliases: Array<[string, string]> = [
    ['limit', 'maxAttempts'],
    ['backoffMs', 'backoffInitialMs'],
    ['backoffLimitMs', 'backoffMaxMs'],
  ];
  for (const key of Object.keys(r)) {
    if (!aliases.some(([name]) => name === key)) {
      fail(
        `retry.${key}`,
        `"retry.${key}" is not a TokenManager retry option (limit, backoffMs, backoffLimitMs)`,
      );
    }
  }
  for (const [name, older] of aliases) {
    if (r[name] === undefined) continue;
    if (o[older] !== undefined) fail(older, `pass either "retry.${name}" or "${older}", not both`);
    const value = r[name];
    if (name === 'limit') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > 99) {
        fail('retry.limit', '"retry.limit" option must be an integer from 0 to 99');
      }
      o[older] = value + 1;
    } else {
      o[older] = value;
    }
  }
}

/** The call timeouts: see {@link Settings.issueTimeoutMs}. */
export function timeouts(
  o: Record<string, unknown>,
): Pick<Settings, 'issueTimeoutMs' | 'maxIssueTimeoutMs' | 'callTimeoutMs'> {
  const client = o.clientOptions as { timeoutMs?: unknown } | undefined;
  const given = typeof client === 'object' && client !== null ? client.timeoutMs : undefined;
  const user = given === undefined ? undefined : integer('timeoutMs', given, 0, 1, MAX_DELAY_MS);
  const maxIssueTimeoutMs = integer(
    'maxIssueTimeoutMs',
    o.maxIssueTimeoutMs,
    Math.max(DEFAULT_MAX_ISSUE_TIMEOUT_MS, user ?? 0),
    1,
    MAX_DELAY_MS,
  );
  return {
    issueTimeoutMs: Math.min(user ?? DEFAULT_ISSUE_TIMEOUT_MS, maxIssueTimeoutMs),
    maxIssueTimeoutMs,
    callTimeoutMs: user ?? DEFAULT_TIMEOUT_MS,
  };
}

/** Checks every option but `strategy`, `client`, `clientOptions` and `store` (checked where used). */
