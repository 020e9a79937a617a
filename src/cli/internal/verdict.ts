/**
 * Asking LINE whether a token is alive, shared by `verify`, `revoke` (which must know a
 * stateless token before claiming to revoke it) and `token --verify`.
 *
 * @module
 */
import type { TokenVerification } from '../../client/types.js';
import { LineApiError } from '../../errors.js';
import type { CommandContext } from '../types.js';
import { createClient, looksLikeV21, type TokenType } from './client.js';

/** LINE's answer about one token: alive with its facts, or dead with LINE's error. */
export type Verdict =
  | { valid: true; type: TokenType; result: TokenVerification }
  | { valid: false; type: TokenType; error: LineApiError };

/** Asks the verify endpoint of `type`'s family about `token`. */
export async function ask(ctx: CommandContext, token: string, type: TokenType): Promise<Verdict> {
  const client = createClient(ctx);
  const params = { accessToken: token };
  const request = { signal: ctx.signal };
  try {
    const result =
      type === 'v2.1'
        ? await client.verifyV21(params, request)
        : await client.verify(params, request);
    return { valid: true, type, result };
  } catch (err) {
    // LINE answers 400 for an unknown, malformed, expired or revoked token: that is the
    // verdict. Other statuses (429, 5xx) are failures and exit 3.
    if (err instanceof LineApiError && err.status === 400)
      return { valid: false, type, error: err };
    throw err;
  }
}

/**
 * The verdict on a token whose family was not given: a JWS-shaped token (`eyJ...`) is
 * asked about as v2.1 first and, if LINE does not know it there, as stateless (stateless
 * tokens are JWS-shaped too, but only the v2 endpoint knows them); any other token as
 * short/long-lived.
 */
export async function guessVerdict(ctx: CommandContext, token: string): Promise<Verdict> {
  if (!looksLikeV21(token)) return ask(ctx, token, 'short-lived');
  const first = await ask(ctx, token, 'v2.1');
  if (first.valid) return first;
  const second = await ask(ctx, token, 'stateless');
  return second.valid ? second : first;
}

/** LINE's reason for a dead token, in its own words. */
export function reasonOf(error: LineApiError): string {
  return error.errorDescription ?? error.lineMessage ?? error.error ?? 'invalid token';
}
