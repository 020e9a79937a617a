import { ChannelAccessTokenClient } from '../../client/client.js';
import { InvalidArgumentError } from '../../errors.js';
import type { CommandContext } from '../types.js';

/**
 * A client for `--base-url` (or LINE_API_BASE_URL, or LINE itself), on the CLI's clock,
 * with `--timeout` and the progress lines.
 */
export function createClient(ctx: CommandContext): ChannelAccessTokenClient {
  return new ChannelAccessTokenClient({
    ...(ctx.baseUrl !== undefined && { baseUrl: ctx.baseUrl }),
    userAgent: `line-token-cli/${ctx.version}`,
    now: ctx.now,
    ...ctx.clientOptions,
  });
}

/** The token families, as `--type` spells them. */
export type TokenType = 'v2.1' | 'stateless' | 'short-lived' | 'long-lived';

/**
 * `--type`, checked against `allowed`. Without the flag, `fallback` decides (or the flag
 * is required when there is none).
 */
export function parseType<T extends TokenType>(
  ctx: CommandContext,
  allowed: readonly T[],
  fallback?: () => T,
): T {
  const raw = ctx.flags.string('type');
  const list = allowed.join('|');
  if (raw === undefined) {
    if (fallback) return fallback();
    throw new InvalidArgumentError('--type', `missing --type ${list}`);
  }
  const found = allowed.find((t) => t === raw);
  if (found === undefined) {
    // Quote only short words: a long value may be a secret pasted into the wrong flag.
    const got = /^[\w.-]{1,16}$/.test(raw) ? `"${raw}"` : 'something else';
    throw new InvalidArgumentError('--type', `--type must be one of ${list}, got ${got}`);
  }
  return found;
}

/**
 * Whether a token looks like a v2.1 one: LINE issues those as JWS compact strings
 * (`eyJ...` header), while short- and long-lived tokens carry no dots.
 */
export function looksLikeV21(token: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(token);
}
