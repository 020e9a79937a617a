/**
 * One issue with the v2.1 slot budget in front of it: the ceiling and the budget of the
 * manager's own orphans are checked first (limit.ts), the issue is written to the ledger
 * of unresolved issues before it is sent and struck off once its outcome is known, and a
 * timeout gives the next issue more time (patience.ts). The refresher decides when to
 * issue; this module guards each issue.
 *
 * The ledger lives in the store, so what a crashed process or a lost answer left behind
 * still counts for the next process or another replica. While the store fails, this
 * process keeps its entries in memory and hands them to the store once it answers again.
 *
 * @module
 */
import type { UnresolvedIssue } from '../store.js';
import type { TokenManagerStatus, TokenManagerWarning } from '../types.js';
import type { Issued, Issuer } from './issuer.js';
import { checkTokenLimit, type SlotView } from './limit.js';
import type { Settings } from './options.js';
import { IssuePatience } from './patience.js';
import { isAmbiguous } from './policy.js';
import type { Revoker, RevokeTarget } from './revoker.js';
import type { StoreGate } from './store-gate.js';

// Entries are told apart by their random id (members of a fleet on one clock may start
// issues at the same millisecond), else by when they started and what they name;
// `endedAt` is news about the same entry, and the later news wins in merge().
const idOf = (e: UnresolvedIssue): string =>
  `${e.startedAt}/${e.until}/${e.keyId ?? ''}/${e.id ?? ''}`;

/**
 * A random id for a new entry: Web Crypto's getRandomValues, which every runtime the core
 * runs on has (randomUUID needs a secure context in browsers; the injectable `random` may
 * be the same function in every member of a fleet).
 */
function newId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The entries of both, each once (an entry carried in memory may be in the store too). */
function merge(a: readonly UnresolvedIssue[], b: readonly UnresolvedIssue[]): UnresolvedIssue[] {
  const byId = new Map<string, UnresolvedIssue>();
  for (const e of [...a, ...b]) {
    const seen = byId.get(idOf(e));
    if (seen === undefined || (seen.endedAt === undefined && e.endedAt !== undefined)) {
      byId.set(idOf(e), e);
    }
  }
  return [...byId.values()];
}

/** What a {@link GuardedIssuer} works with. */
interface Deps {
  readonly issuer: Issuer;
  readonly settings: Settings;
  readonly revoker: Revoker;
  readonly gate: StoreGate;
  readonly warn: (warning: TokenManagerWarning) => void;
}

/** The issues of one refresher, with what they learnt about the channel's live tokens. */
export class GuardedIssuer {
  /** Entries the store has not got yet (it failed, or they arose outside an issue). */
  #local: UnresolvedIssue[] = [];
  readonly #view: SlotView = {
    lastKeyIds: undefined,
    count: undefined,
    ownWarned: 0,
    foreignWarned: false,
  };
  readonly #patience: IssuePatience;
  readonly #deps: Deps;
  /** The last hand-over of entries to the store (never rejects). */
  #handing: Promise<void> = Promise.resolve();

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#patience = new IssuePatience(deps.settings, deps.gate.canLock);
  }

  /** The slot fields of `status()`: the v2.1 counts at the last check. */
  status(): Pick<TokenManagerStatus, 'unaccountedTokens' | 'foreignTokens' | 'liveTokens'> {
    const count = this.#view.count;
    return {
      unaccountedTokens: count?.own,
      foreignTokens: count?.foreign,
      liveTokens: count?.live,
    };
  }

  /** v2.1: the live key ids at the last check, for error messages. */
  get lastKeyIds(): readonly string[] | undefined {
    return this.#view.lastKeyIds;
  }

  /**
   * A superseded v2.1 token that could not be revoked: it blocks a slot until it expires,
   * so it counts against the budget like a lost answer.
   */
  abandoned(target: RevokeTarget): void {
    if (this.#deps.issuer.type !== 'v2.1' || target.keyId === undefined) return;
    this.#local.push({
      startedAt: this.#deps.settings.now(),
      until: target.expiresAt,
      keyId: target.keyId,
      id: newId(),
    });
    // Handed to the store now, not at the next issue: a revocation given up at close() has
    // no next issue in this process, and the next process must still count it.
    const previous = this.#handing;
    this.#handing = (async () => {
      await previous;
      const shared = await this.#read();
      if (shared !== undefined) await this.#write(merge(shared, this.#local));
    })();
  }

  /** Resolves once entries handed to the store have been written (or kept in memory). */
  settled(): Promise<void> {
    return this.#handing;
  }

  /**
   * Issues one token after the v2.1 checks. `currentKeyId` and `storedKeyId` are the key
   * ids the manager accounts for; `degraded`: the store is down, so the ledger is this
   * process's alone.
   */
  async issue(
    currentKeyId: string | undefined,
    storedKeyId: string | undefined,
    degraded: boolean,
  ): Promise<Issued> {
    const { issuer, settings } = this.#deps;
    if (issuer.type !== 'v2.1') return this.#send();
    const shared = degraded ? undefined : await this.#read();
    const keep = await checkTokenLimit({
      ...this.#deps,
      currentKeyId,
      storedKeyId,
      entries: merge(shared ?? [], this.#local),
      view: this.#view,
    });
    const now = settings.now();
    const entry: UnresolvedIssue = {
      startedAt: now,
      until: now + issuer.maxLifetimeMs,
      id: newId(),
    };
    // Written before the request leaves: if this process dies before the answer, the next
    // one (or another replica) still counts the token LINE may have issued.
    const inStore = shared !== undefined && (await this.#write([...keep, entry]));
    // Without the store this process carries the whole ledger until it answers again.
    if (!inStore) this.#local = merge(keep, [entry]);
    let outcome: UnresolvedIssue | undefined;
    try {
      return await this.#send();
    } catch (err) {
      // The request has ended: a token LINE may have issued shows in its listing from now
      // on, so the entry counts only while the listing has a token nobody accounts for.
      if (isAmbiguous(err)) outcome = { ...entry, endedAt: settings.now() };
      throw err;
    } finally {
      const settled = outcome === undefined ? [] : [outcome];
      if (inStore) {
        // Read again: a revocation given up meanwhile may have added an entry (abandoned()).
        await this.#handing;
        const now = (await this.#read()) ?? [...keep, entry];
        const others = now.filter((e) => idOf(e) !== idOf(entry));
        await this.#write(merge(merge(others, settled), this.#local));
      } else {
        this.#local = [...this.#local.filter((e) => e !== entry), ...settled];
      }
    }
  }

  async #send(): Promise<Issued> {
    try {
      const issued = await this.#deps.issuer.issue(this.#patience.timeoutMs);
      this.#patience.answered();
      return issued;
    } catch (err) {
      this.#patience.failed(err);
      throw err;
    }
  }

  /** The store's ledger, or `undefined` when the store fails (then this process's counts alone). */
  async #read(): Promise<UnresolvedIssue[] | undefined> {
    try {
      return await this.#deps.gate.getUnresolved();
    } catch (err) {
      this.#deps.gate.down(err);
      return undefined;
    }
  }

  /**
   * Replaces the store's ledger; the local entries are in it from then on. When the store
   * fails, this process carries `entries` itself until it answers again.
   */
  async #write(entries: UnresolvedIssue[]): Promise<boolean> {
    try {
      await this.#deps.gate.setUnresolved(entries);
      this.#local = [];
      return true;
    } catch (err) {
      this.#deps.gate.down(err);
      this.#local = merge(this.#local, entries);
      return false;
    }
  }
}
