/**
 * The checks before each v2.1 issue, so the manager never drives a channel toward LINE's
 * 30-token limit:
 *
 * - The slot budget: live key ids the manager cannot account for (neither its current
 *   token, nor a superseded one it will revoke, nor the store's) may be tokens whose
 *   answer was lost. At `tokenLimit.unaccountedBudget` of them it stops issuing until they
 *   expire. When LINE cannot list them, the manager counts its own ambiguous issues
 *   instead (see {@link LostLedger}).
 * - Near the limit it revokes the superseded tokens it knows of at once, and when that is
 *   not enough it says exactly which key ids block it instead of asking LINE for a token
 *   it will refuse.
 *
 * @module
 */
import { TokenUnavailableError } from '../../errors.js';
import { LIVE_TOKEN_LIMIT } from '../../line/facts.js';
import type { TokenManagerWarning } from '../types.js';
import type { Issuer } from './issuer.js';
import type { Settings } from './options.js';
import { isTransient } from './policy.js';
import type { Revoker } from './revoker.js';

/**
 * The issues of this manager that may have produced a token nobody saw (a timeout, a
 * reset, a 5xx, an unreadable answer), each kept until the latest moment that token could
 * expire.
 */
export class LostLedger {
  readonly #until: number[] = [];

  /** Records an ambiguous issue started at `startedAt` whose token would live `lifetimeMs`. */
  add(startedAt: number, lifetimeMs: number): void {
    this.#until.push(startedAt + lifetimeMs);
  }

  /** How many may still be live at `now`. */
  live(now: number): number {
    for (let i = this.#until.length - 1; i >= 0; i--) {
      if (this.#until[i]! <= now) this.#until.splice(i, 1);
    }
    return this.#until.length;
  }

  /** When the last one that may be live expires, epoch ms; `undefined` if none. */
  lastExpiry(now: number): number | undefined {
    return this.live(now) === 0 ? undefined : Math.max(...this.#until);
  }
}

/** The budget stopped an issue; `getToken()` sees it as a {@link TokenUnavailableError}. */
export class BudgetExhausted extends TokenUnavailableError {
  constructor(message: string, fields: { permanent: boolean; hint?: string }) {
    super(message, fields);
    // Users see the documented class, whose code it has.
    this.name = 'TokenUnavailableError';
  }
}

/** What the checks need from the manager. */
export interface LimitContext {
  readonly issuer: Issuer;
  readonly settings: Settings;
  readonly revoker: Revoker;
  /** LINE's key id of the token in use (never revoked here: callers may hold it). */
  readonly currentKeyId: string | undefined;
  /** The key id of the token in the shared store, which another manager may serve. */
  readonly storedKeyId: string | undefined;
  /** Updated with the live key ids seen, for the hint of a later limit error. */
  readonly lastKeyIds: { ids: readonly string[] | undefined };
  /** The unaccounted count at the last check, for the warning and `status()`. */
  readonly unaccounted: { count: number | undefined };
  readonly ledger: LostLedger;
  /**
   * The store failed: the other processes' tokens cannot be told from lost ones, so the
   * budget counts only this manager's own ambiguous issues (each process keeps its share).
   */
  readonly degraded: boolean;
  readonly warn: (warning: TokenManagerWarning) => void;
}

function hours(ms: number): string {
  return ms >= 7_200_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.ceil(ms / 60_000)} min`;
}

function exhausted(ctx: LimitContext, count: number, listed: boolean): BudgetExhausted {
  const { issuer, settings } = ctx;
  const now = settings.now();
  const ours = ctx.ledger.lastExpiry(now);
  const when =
    ours === undefined
      ? `within ${hours(issuer.maxLifetimeMs)} of their issue if this manager issued them`
      : `the ones this manager may have lost by ${new Date(ours).toISOString()} at the latest`;
  const what = listed
    ? `channel ${issuer.channelId} holds ${count} live v2.1 token(s) this manager cannot account for`
    : `${count} v2.1 issue(s) of this manager for channel ${issuer.channelId} may have produced tokens whose answer was lost (LINE could not list the live key ids)`;
  return new BudgetExhausted(
    `${what}, at or over the budget of ${settings.tokenLimit.unaccountedBudget}: the manager does not issue more until they expire`,
    {
      permanent: false,
      hint: `They end on their own when they expire (${when}; LINE's limit is 30 days). Meanwhile the manager serves the token it has, if any, and tries again every ${hours(settings.backoff.maxMs)}. If another program issues v2.1 tokens for this channel, raise "tokenLimit.unaccountedBudget"; to free slots now, revoke the tokens you hold (line-token revoke)`,
    },
  );
}

/** Resolves when issuing may go ahead; rejects when the budget or LINE's limit blocks it. */
export async function checkTokenLimit(ctx: LimitContext): Promise<void> {
  const { issuer, settings } = ctx;
  if (issuer.type !== 'v2.1') return;
  let kids: string[] | undefined;
  if (issuer.listKeyIds !== undefined && settings.tokenLimit.check) {
    try {
      kids = await issuer.listKeyIds();
    } catch (err) {
      // A transient listing failure must not stop the issue on its own: the manager's own
      // count of lost answers stands in. A permanent one (a bad assertion) fails the issue too.
      if (!isTransient(err)) throw err;
    }
  }
  if (kids !== undefined) ctx.lastKeyIds.ids = kids;
  if (kids === undefined || ctx.degraded) {
    if (kids !== undefined && kids.length >= LIVE_TOKEN_LIMIT - settings.tokenLimit.headroom) {
      await nearTheLimit(ctx, kids);
    }
    const lost = ctx.ledger.live(settings.now());
    if (lost >= settings.tokenLimit.unaccountedBudget) throw exhausted(ctx, lost, false);
    return;
  }
  ctx.lastKeyIds.ids = kids;
  if (kids.length >= LIVE_TOKEN_LIMIT - settings.tokenLimit.headroom) {
    kids = await nearTheLimit(ctx, kids);
  }
  const known = ctx.revoker.knownKeyIds();
  if (ctx.currentKeyId !== undefined) known.add(ctx.currentKeyId);
  if (ctx.storedKeyId !== undefined) known.add(ctx.storedKeyId);
  const unaccounted = kids.filter((id) => !known.has(id));
  const previous = ctx.unaccounted.count ?? 0;
  ctx.unaccounted.count = unaccounted.length;
  if (unaccounted.length > previous) {
    ctx.warn({
      code: 'UNACCOUNTED_TOKENS',
      message: `channel ${issuer.channelId} holds ${unaccounted.length} live v2.1 token(s) this manager cannot account for (key ids ${unaccounted.join(', ')}): tokens whose answer was lost, of a crashed process, or of another program; the manager stops issuing at ${settings.tokenLimit.unaccountedBudget}`,
    });
  }
  if (unaccounted.length >= settings.tokenLimit.unaccountedBudget) {
    throw exhausted(ctx, unaccounted.length, true);
  }
}

/** Revokes what it can at once; refuses (permanently) when LINE would. Returns the live ids. */
async function nearTheLimit(ctx: LimitContext, kids: string[]): Promise<string[]> {
  const { issuer } = ctx;
  const revoked = await ctx.revoker.revokeKnownNow(kids);
  const live = kids.filter((id) => !revoked.has(id));
  ctx.lastKeyIds.ids = live;
  const inUse = live.filter((id) => id === ctx.currentKeyId);
  const others = live.filter((id) => id !== ctx.currentKeyId);
  const listing =
    `${others.length} not issued or no longer tracked by this manager: ${others.join(', ') || 'none'}` +
    (inUse.length > 0 ? `; in use by this manager: ${inUse.join(', ')}` : '');
  if (live.length >= LIVE_TOKEN_LIMIT) {
    throw new TokenUnavailableError(
      `channel ${issuer.channelId} holds ${live.length} live v2.1 tokens, LINE's limit of ${LIVE_TOKEN_LIMIT}${
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
    message: `channel ${issuer.channelId} holds ${live.length} of ${LIVE_TOKEN_LIMIT} live v2.1 tokens (${listing})`,
  });
  return live;
}
