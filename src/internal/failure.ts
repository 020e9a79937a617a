/**
 * One classifier for every failure of a call to LINE, shared by the client's retry loop
 * and the token manager, so both agree on what a timeout, a 408, a 5xx or an unreadable
 * 2xx means. For an issue call the question that matters is whether LINE may have issued
 * a token we will never see:
 *
 * - `not-sent`: the request provably never left this machine (connection refused, DNS),
 *   or LINE was not asked at all (the token store failed). Repeating it costs nothing.
 * - `refused`: LINE answered 4xx, so it issued nothing.
 * - `ambiguous`: a timeout or reset after the request was written, a 5xx, an unreadable
 *   2xx. LINE may have issued a token whose value is lost; for v2.1 it blocks one of the
 *   channel's 30 slots until it expires.
 *
 * Core module: no `node:` import (codes are read from `code` fields).
 *
 * @module
 */
import {
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
  TokenStoreError,
} from '../errors.js';

/** Where a failed call stands; see the module comment. */
export type FailureKind = 'not-sent' | 'refused' | 'ambiguous';

/** The verdict on one failure. */
export interface FailureClass {
  readonly kind: FailureKind;
  /**
   * Whether trying again later can help: the network, timeouts, 408, 429, 5xx, odd
   * responses, the store. `false` for LINE refusing the request itself (bad credentials,
   * bad assertion, the 30-token limit).
   */
  readonly transient: boolean;
}

// Failures that happen before a single byte of the request leaves the machine: the
// connection was refused, the name did not resolve, no route. Retrying them cannot make
// LINE issue a second token.
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  // A TokenManagerRegistry's queue held the request past its caller's timeout.
  'ERR_LINE_REGISTRY_QUEUE',
]);

function neverSent(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
  // Happy-eyeballs connects fail with an AggregateError: not sent only if no address took it.
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.every((inner) => neverSent(inner, depth + 1));
  }
  return neverSent(error.cause, depth + 1);
}

/** HTTP statuses with which LINE refuses before doing anything, and asks to be tried later. */
export const TRANSIENT_REFUSAL_STATUSES: readonly number[] = Object.freeze([408, 429]);

/**
 * Classifies a failure of a call to LINE (or of the token store in front of it).
 * `undefined` for anything else (an invalid argument, a bad key, an unknown error, which
 * is a bug): never worth retrying.
 *
 * @example
 * ```ts
 * const c = classifyFailure(err);
 * if (c?.kind === 'ambiguous') console.warn('LINE may have issued a token we never saw');
 * ```
 */
export function classifyFailure(err: unknown): FailureClass | undefined {
  if (err instanceof LineApiError) {
    if (err.status >= 500) return { kind: 'ambiguous', transient: true };
    return { kind: 'refused', transient: TRANSIENT_REFUSAL_STATUSES.includes(err.status) };
  }
  if (err instanceof LineInvalidResponseError || err instanceof LineTimeoutError) {
    return { kind: 'ambiguous', transient: true };
  }
  if (err instanceof LineNetworkError) {
    return { kind: neverSent(err.cause) ? 'not-sent' : 'ambiguous', transient: true };
  }
  if (err instanceof TokenStoreError) return { kind: 'not-sent', transient: true };
  return undefined;
}

/** Whether trying again later can help (see {@link FailureClass.transient}). */
export function isTransientFailure(err: unknown): boolean {
  return classifyFailure(err)?.transient === true;
}

/**
 * Whether a failed request reached LINE: `true` if LINE answered, `false` if it provably
 * never left, `undefined` if nobody can tell (a timeout, a reset connection).
 */
export function requestSent(err: unknown): boolean | undefined {
  if (err instanceof LineApiError || err instanceof LineInvalidResponseError) return true;
  if (err instanceof LineNetworkError) return neverSent(err.cause) ? false : undefined;
  return undefined;
}
