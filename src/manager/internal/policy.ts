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
  LineTimeoutError,
  TokenStoreError,
} from '../../errors.js';
import { adviceFor, type FailureContext } from '../../internal/advice.js';
import { backoffDelayMs as sharedBackoffMs } from '../../internal/backoff.js';
import { classifyFailure, isTransientFailure } from '../../internal/failure.js';
import { TOKEN_LIMIT_MESSAGE } from '../../line/facts.js';

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
 * The wait after the `failures`-th consecutive transient failure: the shared backoff
 * (`initialMs` doubled per failure up to `maxMs`, equal jitter for a draw `r` in [0, 1)).
 * With `remainingMs` (how long the current token may still be served) the wait is also
 * kept under a quarter of that, but not under `initialMs`: a failing refresh gets more
 * tries as the deadline nears instead of sleeping through it. A `Retry-After` from LINE is
 * honoured up to `maxMs`, deadline or not.
 */
export function backoffDelayMs(
  failures: number,
  policy: BackoffPolicy,
  r: number,
  retryAfterSec?: number,
  remainingMs?: number,
): number {
  let delay = sharedBackoffMs(failures, policy, true, r);
  if (remainingMs !== undefined && remainingMs > 0) {
    delay = Math.min(delay, Math.max(policy.initialMs, remainingMs / 4));
  }
  const hinted = retryAfterSec === undefined ? 0 : Math.min(policy.maxMs, retryAfterSec * 1000);
  return Math.max(delay, hinted);
}

/**
 * Whether trying again later can help: the network, timeouts, odd responses (a proxy's
 * HTML page), 408/429/5xx, a store or a lock holder that did not answer. Everything else
 * (bad credentials, bad assertion, the 30-token limit, bad keys, and unknown errors,
 * which are bugs) is permanent: retrying would only hammer LINE. The shared classifier
 * decides (`src/internal/failure.ts`).
 */
export const isTransient: (err: unknown) => boolean = isTransientFailure;

/** Whether LINE may have issued a token whose answer this failure lost. */
export function isAmbiguous(err: unknown): boolean {
  return classifyFailure(err)?.kind === 'ambiguous';
}

export { TOKEN_LIMIT_MESSAGE };

/** Whether `err` is LINE refusing a v2.1 token because the channel already holds 30. */
export function isTokenLimitError(err: unknown): boolean {
  return err instanceof LineApiError && err.lineMessage === TOKEN_LIMIT_MESSAGE;
}

/**
 * One sentence on what to do about a failure, for `TokenUnavailableError.hint`. Never holds
 * a secret. A refusal the shared advice table knows gets its cause and fix (naming the kid
 * and channel from `context`); the rest is said in terms of what the manager does next.
 */
export function failureHint(err: unknown, strategy: string, context: FailureContext = {}): string {
  const advice = adviceFor(err, { strategy, ...context });
  if (advice?.permanent === true) return `${advice.cause}: ${advice.fix}`;
  if (err instanceof InvalidKeyError) {
    return 'Fix the private key: it must be the RSA-2048 private key whose public half is registered in the LINE Developers Console';
  }
  if (err instanceof LineApiError) {
    // What the advice table could not place: LINE's wording varies beyond the texts it knows.
    const description = err.errorDescription ?? '';
    if (description.includes('client_id') || description.includes("'client_credentials'")) {
      return 'Check the channel ID and channel secret (LINE Developers Console, Basic settings)';
    }
    if (description.includes('client_secret')) {
      return 'Check the channel secret (LINE Developers Console, Basic settings)';
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
  if (err instanceof TokenStoreError) {
    return 'The token store failed (LINE was not asked); the manager works on a token of its own meanwhile and keeps retrying';
  }
  if (err instanceof LineTimeoutError) {
    return 'LINE did not answer in time; the manager retries with backoff and gives the next issue more time';
  }
  if (err instanceof LineInvalidResponseError) {
    return 'LINE (or a proxy) answered with something that is not a valid token response; the manager retries with backoff';
  }
  if (classifyFailure(err)?.kind === 'not-sent') {
    return 'LINE could not be reached; the manager keeps retrying with backoff';
  }
  if (isTransient(err)) {
    return 'The connection to LINE failed after the request was sent; the manager keeps retrying with backoff';
  }
  return 'See the cause; this is not a failure the manager retries';
}
