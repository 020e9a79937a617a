/**
 * One issue with the v2.1 slot budget in front of it: the 30-token limit and the budget of
 * unaccounted tokens are checked first (limit.ts), an ambiguous failure (LINE may have
 * issued a token nobody saw) goes in the ledger, and a timeout gives the next issue more
 * time (patience.ts). The refresher decides when to issue; this module guards each issue.
 *
 * @module
 */
import type { TokenManagerWarning } from '../types.js';
import type { Issued, Issuer } from './issuer.js';
import { checkTokenLimit, LostLedger } from './limit.js';
import type { Settings } from './options.js';
import { IssuePatience } from './patience.js';
import { isAmbiguous } from './policy.js';
import type { Revoker } from './revoker.js';

/** What a {@link GuardedIssuer} works with. */
interface Deps {
  readonly issuer: Issuer;
  readonly settings: Settings;
  readonly revoker: Revoker;
  readonly warn: (warning: TokenManagerWarning) => void;
}

/** The issues of one refresher, with what they learnt about the channel's live tokens. */
export class GuardedIssuer {
  readonly #ledger = new LostLedger();
  readonly #unaccounted: { count: number | undefined } = { count: undefined };
  readonly #lastKeyIds: { ids: readonly string[] | undefined } = { ids: undefined };
  readonly #patience: IssuePatience;
  readonly #deps: Deps;

  /** `storeLocks`: the store has a lock, whose TTL bounds an issue's timeout. */
  constructor(deps: Deps & { storeLocks: boolean }) {
    this.#deps = {
      issuer: deps.issuer,
      settings: deps.settings,
      revoker: deps.revoker,
      warn: deps.warn,
    };
    this.#patience = new IssuePatience(deps.settings, deps.storeLocks);
  }

  /** v2.1: unaccounted live tokens at the last check; `undefined` before it. */
  get unaccounted(): number | undefined {
    return this.#unaccounted.count;
  }

  /** v2.1: the live key ids at the last check, for error messages. */
  get lastKeyIds(): readonly string[] | undefined {
    return this.#lastKeyIds.ids;
  }

  /**
   * Issues one token after the v2.1 checks. `currentKeyId` and `storedKeyId` are the key
   * ids the manager accounts for; `degraded`: the store is down.
   */
  async issue(
    currentKeyId: string | undefined,
    storedKeyId: string | undefined,
    degraded: boolean,
  ): Promise<Issued> {
    const { issuer, settings } = this.#deps;
    await checkTokenLimit({
      ...this.#deps,
      degraded,
      currentKeyId,
      storedKeyId,
      lastKeyIds: this.#lastKeyIds,
      unaccounted: this.#unaccounted,
      ledger: this.#ledger,
    });
    const startedAt = settings.now();
    try {
      const issued = await issuer.issue(this.#patience.timeoutMs);
      this.#patience.answered();
      return issued;
    } catch (err) {
      if (isAmbiguous(err)) this.#ledger.add(startedAt, issuer.maxLifetimeMs);
      this.#patience.failed(err);
      throw err;
    }
  }
}
