/**
 * How a full {@link TokenManager}'s status counts in the registry's `tokens` by state.
 *
 * @module
 */
import type { TokenManagerStatus } from '../types.js';

/** The `tokens` bucket of one manager's status at `now`. */
export function managerCounts(
  status: TokenManagerStatus,
  now: number,
): 'fresh' | 'refreshDue' | 'expired' | 'failing' {
  if (status.lastError !== undefined && status.nextAttemptAt !== undefined) return 'failing';
  if (!status.hasToken) return 'expired';
  if (status.refreshAt !== undefined && status.refreshAt <= now) return 'refreshDue';
  return 'fresh';
}
