/**
 * `line-token token --verify` and `--refresh`: what to do with the token the store handed
 * back before printing it. Without them a token revoked elsewhere is printed as long as the
 * store keeps it, since the store cannot know what LINE revoked.
 *
 * @module
 */
import type { TokenManager } from '../../manager/manager.js';
import type { TokenStrategy } from '../../manager/types.js';
import { describeError } from '../exit-code.js';
import type { CommandContext } from '../types.js';
import { createClient } from './client.js';
import { formatExpiry } from './format.js';
import { ask, reasonOf } from './verdict.js';

/** The strategies `line-token token` builds: the ones that issue. */
export type IssuingStrategy = Exclude<TokenStrategy, { type: 'static' }>;

/** Why the stored token was replaced, and what became of it. */
export interface Replacement {
  /** `invalid`: LINE said it was dead (`--verify`); `refresh`: asked for (`--refresh`). */
  why: 'invalid' | 'refresh';
  /** The note printed on stderr, no secret in it. */
  note: string;
  /** Whether the old token was revoked (only `--refresh` revokes, where LINE allows it). */
  revokedOld: boolean;
}

/**
 * Replaces `current` (a token the store handed back, not one issued by this run) when
 * `--refresh` asks for it, or when `--verify` finds LINE no longer accepts it. Answers the
 * token to print and, when it replaced one, why.
 */
export async function replaceIfAsked(
  ctx: CommandContext,
  manager: TokenManager,
  strategy: IssuingStrategy,
  current: string,
): Promise<{ accessToken: string; replacement?: Replacement }> {
  const refresh = ctx.flags.has('refresh');
  let why: Replacement['why'];
  let dead = '';
  if (refresh) {
    why = 'refresh';
  } else if (ctx.flags.has('verify')) {
    const verdict = await ask(ctx, current, strategy.type);
    if (verdict.valid) return { accessToken: current };
    why = 'invalid';
    dead = reasonOf(verdict.error);
  } else {
    return { accessToken: current };
  }
  // The manager stops handing out an invalidated token and issues one (or adopts a newer
  // one another run stored meanwhile), which the store then keeps for the next runs.
  // Asked for, or LINE was asked already: no second verify.
  await manager.invalidate(current, { verify: false });
  const accessToken = await manager.getToken({ signal: ctx.signal });
  if (why === 'invalid') {
    return {
      accessToken,
      replacement: {
        why,
        revokedOld: false,
        note: `the stored ${strategy.type} token was no longer valid (LINE: ${dead}); replaced it`,
      },
    };
  }
  // Never revoke what is about to be printed (the manager does not hand back an
  // invalidated token, but this guard costs nothing).
  if (accessToken === current) return { accessToken };
  const old = await revokeOld(ctx, strategy, current);
  return {
    accessToken,
    replacement: { why, revokedOld: old === REVOKED, note: `replaced the stored token; ${old}` },
  };
}

const REVOKED = 'revoked the old one';

/** Revokes the replaced token where LINE allows it; answers what became of it. */
async function revokeOld(
  ctx: CommandContext,
  strategy: IssuingStrategy,
  token: string,
): Promise<string> {
  const left = 'the old one was left to expire';
  if (strategy.type === 'stateless') {
    const verdict = await ask(ctx, token, 'stateless').catch(() => undefined);
    const when = verdict?.valid ? ` at ${formatExpiry(verdict.result.expiresAt, ctx.now())}` : '';
    return `${left}${when} (LINE cannot revoke stateless tokens)`;
  }
  const client = createClient(ctx);
  const request = { signal: ctx.signal };
  try {
    if (strategy.type === 'v2.1') {
      if (strategy.channelSecret === undefined) {
        return `${left} (revoking a v2.1 token needs the channel secret: pass --channel-secret)`;
      }
      const { channelId, channelSecret } = strategy;
      await client.revokeV21({ channelId, channelSecret, accessToken: token }, request);
    } else {
      await client.revoke({ accessToken: token }, request);
    }
    return REVOKED;
  } catch (err) {
    // The new token is issued and stored: say what failed rather than lose it.
    ctx.warn(`could not revoke the old token: ${describeError(err)}`);
    return `${left} (its revoke failed, see above)`;
  }
}
