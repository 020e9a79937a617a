/**
 * The names of {@link TokenManagerOptions}: the top-level keys, the keys of each group,
 * and where each flat name of 0.1 moved. One table, read by the manager's checks and by
 * the registry's (its defaults are refused at construction, not at the first register).
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import { objectOption, rejectUnknownOptions } from '../../internal/validate.js';

/** The option groups and their keys. */
export const GROUPS = {
  refresh: ['windowFraction', 'minWindowMs', 'maxWindowMs', 'jitter', 'expiryMarginMs', 'keepWarm'],
  retry: ['limit', 'backoffMs', 'backoffLimitMs', 'permanentFailureLimit', 'issueTimeoutLimitMs'],
  tokenLimit: ['check', 'headroom', 'unaccountedBudget'],
  revoke: ['superseded', 'onClose', 'graceMs', 'attempts'],
  lock: ['ttlMs', 'pollMs'],
} as const;

/** A group's name. */
export type GroupName = keyof typeof GROUPS;

/** The group names, in the order of the docs. */
export const GROUP_NAMES = Object.keys(GROUPS) as GroupName[];

/** Every top-level key. */
export const TOP_LEVEL: readonly string[] = [
  'strategy',
  'client',
  'clientOptions',
  'store',
  'storeKey',
  'storeTimeoutMs',
  ...GROUP_NAMES,
  'onTokenIssued',
  'onRefreshError',
  'onRevoked',
  'onWarning',
  'telemetry',
  'now',
  'monotonicNow',
  'timers',
  'random',
];

// The flat names of 0.1 (and the retry aliases), each with its new path: a user upgrading
// is told exactly what to write instead of a bare "unknown option".
const MOVED: Readonly<Record<string, string>> = {
  refreshWindowFraction: 'refresh.windowFraction',
  minRefreshWindowMs: 'refresh.minWindowMs',
  maxRefreshWindowMs: 'refresh.maxWindowMs',
  refreshJitter: 'refresh.jitter',
  expiryMarginMs: 'refresh.expiryMarginMs',
  keepWarm: 'refresh.keepWarm',
  maxAttempts: 'retry.limit',
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
};

/**
 * Refuses a key of `options` that is a 0.1 name (saying where it moved), unknown at the
 * top level or unknown inside a group (with did-you-mean), or a group that is no object.
 */
export function checkOptionNames(options: Record<string, unknown>, where: string): void {
  for (const [key, value] of Object.entries(options)) {
    const moved = MOVED[key];
    if (moved === undefined || value === undefined) continue;
    // maxAttempts counted the first attempt; retry.limit counts retries only.
    const note =
      key === 'maxAttempts' ? ' (one less: it counts retries after the first attempt)' : '';
    throw new InvalidArgumentError(
      key,
      `"${key}" is now "${moved}"${note}: the ${where} options are grouped by what they tune, and the flat names are gone (see the CHANGELOG)`,
    );
  }
  rejectUnknownOptions(options, TOP_LEVEL, where);
  for (const group of GROUP_NAMES) {
    const inner = objectOption(group, options[group]);
    rejectUnknownOptions(inner, GROUPS[group], `${where} "${group}"`, `${group}.`);
  }
}
