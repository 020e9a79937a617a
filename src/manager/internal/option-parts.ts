/**
 * The checks behind {@link normalizeSettings} that take more than a line: the clocks and
 * the call timeouts.
 *
 * @module
 */
import { CLIENT_DEFAULTS } from '../../client/defaults.js';
import { durationOption, functionOption } from '../../internal/validate.js';
import { TOKEN_MANAGER_DEFAULTS } from '../defaults.js';
import { DEFAULT_ISSUE_TIMEOUT_MS } from './constants.js';
import type { Settings } from './options.js';

/**
 * Decisions in process run on a monotonic clock anchored to the system clock once, so a
 * clock stepping by 40 s (NTP, a VM resumed) neither serves an expired token nor drops a
 * valid one. A test that injects only `now` drives everything with it.
 */
export function clocks(o: Record<string, unknown>): Pick<Settings, 'now' | 'wallNow'> {
  const wall = functionOption<(() => number) | undefined>('now', o.now, undefined);
  let mono = functionOption<(() => number) | undefined>('monotonicNow', o.monotonicNow, undefined);
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

/** The call timeouts: see {@link Settings.issueTimeoutMs}. */
export function timeouts(
  o: Record<string, unknown>,
  limitMs: unknown,
): Pick<Settings, 'issueTimeoutMs' | 'maxIssueTimeoutMs' | 'callTimeoutMs'> {
  const client = o.clientOptions as { timeoutMs?: unknown } | undefined;
  const given = typeof client === 'object' && client !== null ? client.timeoutMs : undefined;
  const user =
    given === undefined ? undefined : durationOption('clientOptions.timeoutMs', given, 0);
  const maxIssueTimeoutMs = durationOption(
    'retry.issueTimeoutLimitMs',
    limitMs,
    Math.max(TOKEN_MANAGER_DEFAULTS.retry.issueTimeoutLimitMs, user ?? 0),
  );
  return {
    issueTimeoutMs: Math.min(user ?? DEFAULT_ISSUE_TIMEOUT_MS, maxIssueTimeoutMs),
    maxIssueTimeoutMs,
    callTimeoutMs: user ?? CLIENT_DEFAULTS.timeoutMs,
  };
}
