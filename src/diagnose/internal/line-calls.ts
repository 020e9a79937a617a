// The calls diagnose() makes to LINE, none of which issues a token that counts: the key-id
// listing (an assertion, nothing issued), a stateless issue by secret (unlimited, never
// stored) and the two verify endpoints. Each answer is kept as data; interpretation lives
// in line-checks.ts.
import type { ChannelAccessTokenClient } from '../../client/client.js';
import type { TokenVerification } from '../../client/types.js';
import { SHORT_LIVED_EXPIRES_IN_SEC } from '../../line/facts.js';
import {
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
} from '../../errors.js';

/** The answer of one call: a value, LINE's refusal, or no usable answer at all. */
export type Answer<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; error: LineApiError }
  | { kind: 'unreachable'; error: Error };

/** Whether an error means LINE was not reached (or answered nothing usable). */
export function isUnreachable(err: unknown): err is Error {
  return (
    err instanceof LineNetworkError ||
    err instanceof LineTimeoutError ||
    err instanceof LineInvalidResponseError ||
    (err instanceof LineApiError && err.status >= 500)
  );
}

/** Runs one call and files its outcome; anything else (a bug, an abort) propagates. */
export async function attempt<T>(call: () => Promise<T>): Promise<Answer<T>> {
  try {
    return { kind: 'ok', value: await call() };
  } catch (err) {
    if (isUnreachable(err)) return { kind: 'unreachable', error: err };
    if (err instanceof LineApiError) return { kind: 'refused', error: err };
    throw err;
  }
}

/** A token's verdict: which family LINE knows it as, or the refusal. */
export type TokenAnswer =
  | { kind: 'ok'; family: string; value: TokenVerification }
  | { kind: 'refused'; family: string | undefined; error: LineApiError }
  | { kind: 'unreachable'; error: Error };

const JWS = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;

/**
 * Verifies a token the way its shape says: a JWS is a v2.1 token (or, if the v2.1
 * endpoint does not know it, a stateless one); anything else a short- or long-lived one.
 */
export async function verifyToken(
  client: ChannelAccessTokenClient,
  token: string,
  signal: AbortSignal | undefined,
): Promise<TokenAnswer> {
  const request = signal ? { signal } : {};
  if (JWS.test(token)) {
    const v21 = await attempt(() => client.verifyV21({ accessToken: token }, request));
    if (v21.kind === 'ok') return { kind: 'ok', family: 'v2.1', value: v21.value };
    if (v21.kind === 'unreachable') return v21;
    const said = `${v21.error.errorDescription ?? ''} ${v21.error.lineMessage ?? ''}`;
    if (/expired|revoked/i.test(said)) return { kind: 'refused', family: 'v2.1', error: v21.error };
    const stateless = await attempt(() => client.verify({ accessToken: token }, request));
    if (stateless.kind === 'ok') return { kind: 'ok', family: 'stateless', value: stateless.value };
    if (stateless.kind === 'unreachable') return stateless;
    return { kind: 'refused', family: undefined, error: v21.error };
  }
  const v2 = await attempt(() => client.verify({ accessToken: token }, request));
  if (v2.kind === 'ok') {
    // A long-lived token never expires; LINE reports it with a lifetime past 30 days.
    const family = v2.value.expiresIn > SHORT_LIVED_EXPIRES_IN_SEC ? 'long-lived' : 'short-lived';
    return { kind: 'ok', family, value: v2.value };
  }
  if (v2.kind === 'unreachable') return v2;
  return { kind: 'refused', family: undefined, error: v2.error };
}
