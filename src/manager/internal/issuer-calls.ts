/**
 * How the issuer calls LINE: every call bounded in time on the manager's timers, every
 * issued token's lifetime checked, and LINE's verify answer turned into a verdict.
 *
 * @module
 */
import { MAX_ISSUED_EXPIRES_IN_SEC as MAX_EXPIRES_IN_SEC } from '../../line/facts.js';
import { LineApiError, LineInvalidResponseError, LineTimeoutError } from '../../errors.js';
import type { ManagerTimers } from '../types.js';

/** What the issuer needs to bound its calls in time. */
export interface CallLimits {
  /** Timers of the timeouts (the manager's, so a virtual clock drives them in tests). */
  readonly timers: ManagerTimers;
  /** Timeout of the calls that are not issues (list, revoke), ms. */
  readonly callTimeoutMs: number;
}

/**
 * Runs `call` with a signal that aborts after `ms` with a {@link LineTimeoutError}: the
 * client rethrows the caller's abort reason, so the manager sees the same timeout error
 * the client would have thrown, on the manager's timers.
 */
export async function within<T>(
  limits: CallLimits,
  operation: string,
  ms: number,
  call: (options: { signal: AbortSignal }) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const handle = limits.timers.setTimeout(() => {
    controller.abort(new LineTimeoutError(operation, ms));
  }, ms);
  try {
    return await call({ signal: controller.signal });
  } finally {
    limits.timers.clearTimeout(handle);
  }
}

// The client checks `expires_in`; a client of the user's own making may not. A token that
// is due the moment it arrives would make every getToken() issue: refuse it like any odd
// answer (LINE may have issued it, so it is an ambiguous failure).
export function checked<T extends { readonly issuedAt: number; readonly expiresAt: number }>(
  operation: string,
  issued: T,
): T {
  const life = issued.expiresAt - issued.issuedAt;
  const max = (MAX_EXPIRES_IN_SEC[operation] ?? 0) * 1000 + 60_000;
  if (!Number.isFinite(issued.expiresAt) || !(life > 0) || life > max) {
    throw new LineInvalidResponseError({
      operation,
      status: 200,
      reason: "the token's expiry is not within the lifetime LINE gives this kind of token",
    });
  }
  return issued;
}

// LINE answers 400 for a token it no longer accepts; anything else means it could not say.
export function verdictOf(err: unknown): boolean {
  if (err instanceof LineApiError && err.status === 400) return false;
  throw err;
}
