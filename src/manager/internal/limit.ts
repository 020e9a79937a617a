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
import type { UnresolvedIssue } from '../store.js';
import type { TokenManagerWarning } from '../types.js';
import type { Issuer } from './issuer.js';
import type { Settings } from './options.js';
import { countSlots, type SlotCount } from './orphans.js';
import { isTransient } from './policy.js';
import { SEPARATE_STORES_ADVICE } from '../../internal/advice.js';
import type { Revoker } from './revoker.js';

/** What the checks learnt about the channel, for warnings, `status()` and error hints. */
export interface SlotView {
  /** The live key ids at the last listing. */
  lastKeyIds: readonly string[] | undefined;
  /** The last count, `undefined` before the first check. */
  count: SlotCount | undefined;
  /** The largest own count warned about. */
  ownWarned: number;
  /** Whether other holders' tokens were warned about. */
  foreignWarned: boolean;
}

/**
 * The budget, the ceiling or an eviction loop stopped an issue: not retried at the
 * transient pace (slots free only as tokens expire), callers without a token fail fast.
 * `getToken()` sees it as a {@link TokenUnavailableError}.
 */
export class IssueBlocked extends TokenUnavailableError {
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
  /** The ledger of unresolved issues (the fleet's when the store answers, else this process's). */
  readonly entries: readonly UnresolvedIssue[];
  readonly view: SlotView;
  readonly warn: (warning: TokenManagerWarning) => void;
}

/** A duration as people read it in a hint: minutes, or hours from two hours up. */
export function hours(ms: number): string {
  return ms >= 7_200_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.ceil(ms / 60_000)} min`;
}

function exhausted(ctx: LimitContext, count: SlotCount): IssueBlocked {
  const { issuer, settings } = ctx;
  const when =
    count.ownUntil === undefined
      ? `within ${hours(issuer.maxLifetimeMs)} of their issue`
      : `by ${new Date(count.ownUntil).toISOString()} at the latest`;
  return new IssueBlocked(
    `${count.own} v2.1 issue(s) for channel ${issuer.channelId} by this manager (or the managers sharing its store) may have produced tokens whose answer was lost, or left superseded tokens it could not revoke, at or over the budget of ${settings.tokenLimit.unaccountedBudget}: the manager does not issue more until they expire`,
    {
      permanent: false,
      hint: `They end on their own when they expire (${when}); tokens of other holders do not count here. Meanwhile the manager serves the token it has, if any, and tries again every ${hours(settings.backoff.maxMs)}. ${
        count.live === undefined
          ? 'LINE could not list the live key ids, so every unresolved issue counts'
          : `The channel holds ${count.live} live v2.1 token(s) of ${LIVE_TOKEN_LIMIT}`
      }`,
    },
  );
}

/**
 * Resolves with the ledger entries still worth keeping when issuing may go ahead; rejects
 * when the budget or the ceiling blocks it.
 */
export async function checkTokenLimit(ctx: LimitContext): Promise<UnresolvedIssue[]> {
  const { issuer, settings, view } = ctx;
  if (issuer.type !== 'v2.1') return [...ctx.entries];
  let kids: string[] | undefined;
  if (issuer.listKeyIds !== undefined && settings.tokenLimit.check) {
    try {
      kids = await issuer.listKeyIds();
    } catch (err) {
      // A transient listing failure must not stop the issue on its own: the ledger stands
      // in. A permanent one (a bad assertion) fails the issue too.
      if (!isTransient(err)) throw err;
    }
  }
  if (kids !== undefined) {
    view.lastKeyIds = kids;
    const ceiling = LIVE_TOKEN_LIMIT - settings.tokenLimit.headroom;
    if (kids.length + 1 >= ceiling) kids = await nearTheLimit(ctx, kids, ceiling);
  }
  const known = ctx.revoker.knownKeyIds();
  if (ctx.currentKeyId !== undefined) known.add(ctx.currentKeyId);
  if (ctx.storedKeyId !== undefined) known.add(ctx.storedKeyId);
  const now = settings.now();
  const count = countSlots({
    listed: kids,
    known,
    entries: ctx.entries,
    now,
    settledBefore: now - settings.maxIssueTimeoutMs,
  });
  view.count = count;
  report(ctx, count);
  if (count.own >= settings.tokenLimit.unaccountedBudget) throw exhausted(ctx, count);
  return count.keep;
}

/** Warns when own orphans grow, and once when other holders' tokens appear. */
function report(ctx: LimitContext, count: SlotCount): void {
  const { issuer, settings, view } = ctx;
  if (count.own > view.ownWarned) {
    view.ownWarned = count.own;
    ctx.warn({
      code: 'UNACCOUNTED_TOKENS',
      message: `${count.own} v2.1 issue(s) for channel ${issuer.channelId} by this manager (or the managers sharing its store) may have left tokens nobody holds (lost answers, issues cut short, revocations that failed); the manager stops issuing at ${settings.tokenLimit.unaccountedBudget}`,
    });
  }
  if (count.foreign !== undefined && count.foreign > 0 && !view.foreignWarned) {
    view.foreignWarned = true;
    ctx.warn({
      code: 'FOREIGN_TOKENS',
      message: `channel ${issuer.channelId} holds ${count.foreign} live v2.1 token(s) of other holders (${count.live ?? 0} of ${LIVE_TOKEN_LIMIT} in all): ${SEPARATE_STORES_ADVICE}. The manager keeps issuing below ${LIVE_TOKEN_LIMIT - settings.tokenLimit.headroom}`,
    });
  }
}

/**
 * Before the last slot below the ceiling: revokes the superseded tokens it knows of at
 * once, warns, and refuses when the channel is still at the ceiling. Returns the live ids.
 */
async function nearTheLimit(ctx: LimitContext, kids: string[], ceiling: number): Promise<string[]> {
  const { issuer, view } = ctx;
  const revoked = await ctx.revoker.revokeKnownNow(kids);
  const live = kids.filter((id) => !revoked.has(id));
  view.lastKeyIds = live;
  const inUse = live.filter((id) => id === ctx.currentKeyId);
  const others = live.filter((id) => id !== ctx.currentKeyId);
  const listing =
    `${others.length} not issued or no longer tracked by this manager: ${others.join(', ') || 'none'}` +
    (inUse.length > 0 ? `; in use by this manager: ${inUse.join(', ')}` : '');
  if (live.length >= ceiling) {
    const frees = earliestKnownExpiry(ctx);
    throw new IssueBlocked(
      `channel ${issuer.channelId} holds ${live.length} live v2.1 tokens, at or over the manager's ceiling of ${ceiling} (LINE's limit of ${LIVE_TOKEN_LIMIT} less "tokenLimit.headroom")${
        revoked.size > 0 ? ` after revoking ${revoked.size} superseded one(s)` : ''
      }`,
      {
        permanent: true,
        hint: `Key ids blocking it (${listing}). ${
          frees === undefined
            ? "None of them is this manager's to revoke: a slot frees when its holder revokes its token or it expires"
            : `The first slot this manager knows of frees by ${new Date(frees).toISOString()}`
        }; the manager looks again every ${hours(ctx.settings.backoff.maxMs)}. If ${SEPARATE_STORES_ADVICE}; otherwise revoke the tokens you no longer use (line-token revoke) or wait for them to expire`,
      },
    );
  }
  ctx.warn({
    code: 'NEAR_TOKEN_LIMIT',
    message: `channel ${issuer.channelId} holds ${live.length} of ${LIVE_TOKEN_LIMIT} live v2.1 tokens, one below the manager's ceiling of ${ceiling} (${listing})`,
  });
  return live;
}

/** The soonest a token this manager knows of leaves the channel, epoch ms. */
function earliestKnownExpiry(ctx: LimitContext): number | undefined {
  const now = ctx.settings.now();
  const ends = [...ctx.entries.map((e) => e.until), ...ctx.revoker.knownExpiries()].filter(
    (t) => t > now,
  );
  return ends.length === 0 ? undefined : Math.min(...ends);
}
