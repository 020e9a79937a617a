/**
 * The manager's decisions as pure functions of numbers and errors: when a token is
 * refreshed and until when it may be served, how long to back off, which failures are
 * worth retrying, and what to tell the user about the others.
 *
 * @module
 */
import {
  InvalidKeyError,
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
  TokenStoreError,
} from '../../errors.js';

/** The refresh-window settings, normalized. */
export interface WindowPolicy {
  readonly fraction: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly jitter: number;
  readonly expiryMarginMs: number;
}

/** The backoff settings, normalized. */
export interface BackoffPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** When to start replacing a token, and the last moment it may be handed out. */
export interface TokenTiming {
  readonly refreshAt: number;
  readonly serveUntil: number;
}

/**
 * The timing of a token issued at `issuedAt` that expires at `expiresAt` (epoch ms), for
 * a random draw `r` in [0, 1). The window is `fraction` of the lifetime clamped to
 * [minMs, maxMs] and never more than half of it (else a short token would be refreshed
 * as soon as it arrives), widened by up to `jitter` of itself.
 */
export function tokenTiming(
  issuedAt: number,
  expiresAt: number,
  r: number,
  policy: WindowPolicy,
): TokenTiming {
  const lifetime = Math.max(0, expiresAt - issuedAt);
  const margin = Math.min(policy.expiryMarginMs, lifetime / 4);
  const window = Math.min(
    Math.max(lifetime * policy.fraction, policy.minMs),
    policy.maxMs,
    lifetime / 2,
  );
  const serveUntil = expiresAt - margin;
  const refreshAt = Math.min(expiresAt - window * (1 + policy.jitter * r), serveUntil);
  return { refreshAt, serveUntil };
}

/**
 * The wait after the `failures`-th consecutive transient failure: `initialMs` doubled per
 * failure up to `maxMs`, with "equal jitter" (between half and all of it, for a draw `r`
 * in [0, 1)) so a fleet spreads out yet never retries at once. With `remainingMs` (how
 * long the current token may still be served) the wait is also kept under a quarter of
 * that, but not under `initialMs`: a failing refresh gets more tries as the deadline
 * nears instead of sleeping through it. A `Retry-After` from LINE is honoured up to
 * `maxMs`, deadline or not.
 */
export function backoffDelayMs(
  failures: number,
  policy: BackoffPolicy,
  r: number,
  retryAfterSec?: number,
  remainingMs?: number,
): number {
  const exp = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, failures - 1));
  let delay = exp / 2 + (exp / 2) * r;
  if (remainingMs !== undefined && remainingMs > 0) {
    delay = Math.min(delay, Math.max(policy.initialMs, remainingMs / 4));
  }
  const hinted = retryAfterSec === undefined ? 0 : Math.min(policy.maxMs, retryAfterSec * 1000);
  return Math.max(delay, hinted);
}

/** Thrown inside the manager when another process held the lock and wrote nothing in time. */
export class LockWaitTimeout extends Error {
  constructor(waitedMs: number) {
    super(`another process held the token lock for ${waitedMs} ms and wrote no token`);
    this.name = 'LockWaitTimeout';
  }
}

/**
 * Whether trying again later can help: the network, timeouts, odd responses (a proxy's
 * HTML page), 408/429/5xx, a store or a lock holder that did not answer. Everything else
 * (bad credentials, bad assertion, the 30-token limit, bad keys, and unknown errors,
 * which are bugs) is permanent: retrying would only hammer LINE.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof LineApiError) {
    return err.status === 408 || err.status === 429 || err.status >= 500;
  }
  return (
    err instanceof LineNetworkError ||
    err instanceof LineTimeoutError ||
    err instanceof LineInvalidResponseError ||
    err instanceof TokenStoreError ||
    err instanceof LockWaitTimeout
  );
}

/** LINE's answer to the 31st live v2.1 token (EMULATOR.md, "v2.1 issue"). */
export const TOKEN_LIMIT_MESSAGE = 'The maximum number of access tokens has already been issued';

/** Whether `err` is LINE refusing a v2.1 token because the channel already holds 30. */
export function isTokenLimitError(err: unknown): boolean {
  return err instanceof LineApiError && err.lineMessage === TOKEN_LIMIT_MESSAGE;
}

/** One sentence on what to do about a failure, for `TokenUnavailableError.hint`. Never holds a secret. */
export function failureHint(err: unknown, strategy: string): string {
  if (err instanceof InvalidKeyError) {
    return 'Fix the private key: it must be the RSA-2048 private key whose public half is registered in the LINE Developers Console';
  }
  if (err instanceof LineApiError) {
    if (isTokenLimitError(err)) {
      return 'The channel already holds 30 live v2.1 tokens: revoke the ones you no longer use (line-token revoke) or wait for them to expire';
    }
    if (err.status === 404 && err.lineMessage?.startsWith('Cannot find channel key') === true) {
      return 'LINE knows no assertion key with this "kid": register the public key in the LINE Developers Console and use the kid it shows';
    }
    const description = err.errorDescription ?? '';
    if (description.includes('client_id') || description.includes("'client_credentials'")) {
      return 'Check the channel ID and channel secret (LINE Developers Console, Basic settings)';
    }
    if (description.includes('client_secret')) {
      return 'Check the channel secret (LINE Developers Console, Basic settings)';
    }
    if (description === 'Invalid exp') {
      return "LINE refused the assertion's expiry: check this machine's clock";
    }
    if (description.includes('iss')) {
      return 'The assertion key belongs to another channel: use the channel ID the key was registered for';
    }
    if (err.error === 'invalid_client' && strategy !== 'short-lived') {
      return 'LINE refused the assertion: check that the private key matches the public key registered under this "kid" and channel';
    }
    if (isTransient(err))
      return 'LINE is failing or rate limiting; the manager keeps retrying with backoff';
    return 'LINE refused the request: fix what its answer names';
  }
  if (isTransient(err)) {
    return 'LINE could not be reached; the manager keeps retrying with backoff';
  }
  return 'See the cause; this is not a failure the manager retries';
}
