/**
 * Whose are the channel's live v2.1 tokens? LINE's key-id listing says how many there are;
 * the ledger of unresolved issues (shared through the store) says how many this manager,
 * or its fleet, may have lost. Only those count against the slot budget: tokens of other
 * holders (other processes with their own stores, a developer's CLI) count only toward the
 * ceiling, so one instance among many is never refused for the others' tokens.
 *
 * Pure functions of numbers, so the rules can be tested on their own.
 *
 * @module
 */
import type { UnresolvedIssue } from '../store.js';

/** What the counting needs. Times are epoch ms on one clock. */
export interface SlotInput {
  /** Live key ids LINE listed; `undefined` when it could not list them. */
  readonly listed: readonly string[] | undefined;
  /** Key ids this manager accounts for: its current, stored and superseded tokens. */
  readonly known: ReadonlySet<string>;
  /** The ledger: this manager's and its fleet's unresolved issues. */
  readonly entries: readonly UnresolvedIssue[];
  readonly now: number;
  /**
   * Issues started before this moment have ended one way or another (their timeout has
   * passed); later ones without an `endedAt` may still be in flight and produce a token
   * after the listing.
   */
  readonly settledBefore: number;
}

/** The channel's live v2.1 tokens, told apart. */
export interface SlotCount {
  /** Live tokens LINE listed; `undefined` when it could not list them. */
  readonly live: number | undefined;
  /** Tokens this manager (or its fleet) may have left live and unheld: what the budget counts. */
  readonly own: number;
  /** Live tokens of other holders; `undefined` without a listing. */
  readonly foreign: number | undefined;
  /** The ledger entries still worth keeping (the rest are resolved or expired). */
  readonly keep: UnresolvedIssue[];
  /** When the last of the counted own orphans expires at the latest; `undefined` if none. */
  readonly ownUntil: number | undefined;
}

function latestFirst(a: UnresolvedIssue, b: UnresolvedIssue): number {
  return b.until - a.until;
}

/**
 * Counts the channel's live tokens by whose they are.
 *
 * Without a listing every live ledger entry is counted as an orphan (the safe side). With
 * one, an entry that names its key id is an orphan while that key id is live; an entry
 * without one (a lost answer) is an orphan only while the listing holds as many tokens
 * nobody accounts for: a lost answer that produced no token (a 5xx before LINE acted) must
 * not cost the budget for a day. Issues that may still be in flight always count.
 */
export function countSlots(input: SlotInput): SlotCount {
  const { listed, known, now, settledBefore } = input;
  const live = input.entries.filter((e) => e.until > now);
  if (listed === undefined) {
    return {
      live: undefined,
      own: live.length,
      foreign: undefined,
      keep: live,
      ownUntil: live.length === 0 ? undefined : Math.max(...live.map((e) => e.until)),
    };
  }
  const listedIds = new Set(listed);
  const named = live.filter(
    (e) => e.keyId !== undefined && listedIds.has(e.keyId) && !known.has(e.keyId),
  );
  const namedIds = new Set(named.map((e) => e.keyId));
  const unaccounted = listed.filter((id) => !known.has(id) && !namedIds.has(id)).length;
  const unnamed = live.filter((e) => e.keyId === undefined);
  const settled = (e: UnresolvedIssue): boolean =>
    e.endedAt !== undefined || e.startedAt < settledBefore;
  const inFlight = unnamed.filter((e) => !settled(e));
  // The settled lost answers that may explain the unaccounted tokens, the longest-lived first.
  const lost = unnamed.filter(settled).sort(latestFirst).slice(0, unaccounted);
  const counted = [...named, ...lost, ...inFlight];
  return {
    live: listed.length,
    own: counted.length,
    foreign: Math.max(0, unaccounted - lost.length - inFlight.length),
    keep: counted,
    ownUntil: counted.length === 0 ? undefined : Math.max(...counted.map((e) => e.until)),
  };
}
