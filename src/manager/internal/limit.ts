/**
 * The check before each v2.1 issue: LINE refuses a channel's 31st live v2.1 token, so
 * near the limit the manager revokes the superseded tokens it knows of at once, and when
 * that is not enough it says exactly which key ids block it instead of asking LINE for a
 * token it will refuse.
 *
 * @module
 */
import { TokenUnavailableError } from '../../errors.js';
import { V21_TOKEN_LIMIT } from '../defaults.js';
import type { TokenManagerWarning } from '../types.js';
import type { Issuer } from './issuer.js';
import type { Settings } from './options.js';
import { isTransient } from './policy.js';
import type { Revoker } from './revoker.js';

/** What the check needs from the manager. */
export interface LimitContext {
  readonly issuer: Issuer;
  readonly settings: Settings;
  readonly revoker: Revoker;
  /** LINE's key id of the token in use (never revoked here: callers may hold it). */
  readonly currentKeyId: string | undefined;
  /** Updated with the live key ids seen, for the hint of a later limit error. */
  readonly lastKeyIds: { ids: readonly string[] | undefined };
  readonly warn: (warning: TokenManagerWarning) => void;
}

/** Resolves when issuing may go ahead; rejects with a permanent error when the limit blocks it. */
export async function checkTokenLimit(ctx: LimitContext): Promise<void> {
  const { issuer, settings } = ctx;
  if (issuer.listKeyIds === undefined) return;
  let kids: string[];
  try {
    kids = await issuer.listKeyIds();
  } catch (err) {
    // The listing is advisory (LINE itself refuses a 31st token): a transient failure
    // must not stop the issue. A permanent one (a bad assertion) would fail the issue too.
    if (isTransient(err)) return;
    throw err;
  }
  ctx.lastKeyIds.ids = kids;
  if (kids.length < V21_TOKEN_LIMIT - settings.tokenLimitHeadroom) return;

  const revoked = await ctx.revoker.revokeKnownNow(kids);
  const live = kids.filter((id) => !revoked.has(id));
  ctx.lastKeyIds.ids = live;
  const inUse = live.filter((id) => id === ctx.currentKeyId);
  const others = live.filter((id) => id !== ctx.currentKeyId);
  const listing =
    `${others.length} not issued or no longer tracked by this manager: ${others.join(', ') || 'none'}` +
    (inUse.length > 0 ? `; in use by this manager: ${inUse.join(', ')}` : '');
  if (live.length >= V21_TOKEN_LIMIT) {
    throw new TokenUnavailableError(
      `channel ${issuer.channelId} holds ${live.length} live v2.1 tokens, LINE's limit of ${V21_TOKEN_LIMIT}${
        revoked.size > 0 ? ` after revoking ${revoked.size} superseded one(s)` : ''
      }`,
      {
        permanent: true,
        hint: `Key ids blocking it (${listing}). Revoke the ones you no longer use (line-token revoke, with their tokens) or wait for them to expire`,
      },
    );
  }
  ctx.warn({
    code: 'NEAR_TOKEN_LIMIT',
    message: `channel ${issuer.channelId} holds ${live.length} of ${V21_TOKEN_LIMIT} live v2.1 tokens (${listing})`,
  });
}
