/**
 * The registry's `status()` assembled from its parts, and the loader call with its checks.
 *
 * @module
 */
import { InvalidArgumentError, TokenUnavailableError } from '../../errors.js';
import type { TokenManagerStatus, TokenStrategy } from '../types.js';
import type { LimiterStatus } from './limiter.js';
import type { FailureCounts, TokenManagerRegistryStatus } from './metrics.js';
import type { CredentialsLoader } from './options.js';

type TokenCounts = { fresh: number; refreshDue: number; expired: number; failing: number };

/** The `tokens` bucket of one manager's status at `now`. */
export function managerCounts(status: TokenManagerStatus, now: number): keyof TokenCounts {
  if (status.lastError !== undefined && status.nextAttemptAt !== undefined) return 'failing';
  if (!status.hasToken) return 'expired';
  if (status.refreshAt !== undefined && status.refreshAt <= now) return 'refreshDue';
  return 'fresh';
}

/** What `status()` is made of. */
export interface StatusParts {
  readonly engine: TokenCounts | undefined;
  readonly managers: readonly TokenManagerStatus[];
  readonly now: number;
  readonly registered: number;
  readonly loaded: number;
  readonly queue: LimiterStatus;
  readonly failures: FailureCounts;
  readonly evictions: number;
}

/** The registry's status from its parts. */
export function registryStatus(p: StatusParts): TokenManagerRegistryStatus {
  const tokens: TokenCounts = { fresh: 0, refreshDue: 0, expired: 0, failing: 0 };
  if (p.engine !== undefined) {
    for (const k of ['fresh', 'refreshDue', 'expired', 'failing'] as const)
      tokens[k] += p.engine[k];
  }
  for (const status of p.managers) tokens[managerCounts(status, p.now)]++;
  return {
    channels: p.registered + p.loaded,
    loadedChannels: p.loaded,
    tokens,
    queueLength: p.queue.queued,
    refreshesInFlight: p.queue.inFlight,
    peakRefreshesInFlight: p.queue.peakInFlight,
    pausedEndpoints: p.queue.pausedUntil,
    failuresByCause: p.failures.snapshot(),
    evictions: p.evictions,
  };
}

/**
 * Calls `loader` for `channelId` and checks its answer: a strategy of that channel (and
 * of `type`, when reloading a stateless channel). A loader's failure is counted and
 * becomes a transient {@link TokenUnavailableError}: the next `getToken()` asks again.
 */
export async function loadCredentials(
  loader: CredentialsLoader,
  channelId: string,
  type: 'stateless' | undefined,
  failures: FailureCounts,
): Promise<TokenStrategy> {
  let strategy: TokenStrategy;
  try {
    strategy = await loader(channelId);
  } catch (err) {
    failures.add('credentials', err);
    throw new TokenUnavailableError(
      `no valid token for channel ${channelId}: the credentials loader failed`,
      {
        permanent: false,
        hint: 'See the cause: the registry asks the loader again on the next getToken()',
      },
      { cause: err },
    );
  }
  const s = strategy as { type?: unknown; channelId?: unknown } | null;
  if (typeof s !== 'object' || s === null || s.channelId !== channelId) {
    throw new InvalidArgumentError(
      'credentials',
      `the credentials loader must resolve to a strategy whose channelId is the channel asked for (${channelId})`,
    );
  }
  if (type !== undefined && s.type !== type) {
    throw new InvalidArgumentError(
      'credentials',
      `channel ${channelId} changed strategy type; it needs a new registry`,
    );
  }
  return strategy;
}
