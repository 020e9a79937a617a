/**
 * What a 401 means. The Messaging API's 401 is evidence, not a verdict: a gateway with
 * its own authentication, a proxy or a wrong base URL answers 401 too, and replacing a
 * token LINE still accepts on every such answer would issue a token per request. So the
 * manager asks LINE (verify) once per reported token before replacing it, and keeps a
 * token LINE accepts.
 *
 * A token LINE refused soon after its issue, twice in a row, is a sign of a fight over
 * slots: another holder's 31st short-lived token evicts ours, ours evicts theirs, and so
 * on. The manager then pauses instead of joining the loop.
 *
 * @module
 */
import type { TokenManagerWarning } from '../types.js';
import { EARLY_REVOCATION_MS } from '../constants.js';
import type { Issuer } from './issuer.js';
import { hours, IssueBlocked } from './limit.js';
import { SEPARATE_STORES_ADVICE } from '../../internal/advice.js';
import type { Settings } from './options.js';
import type { TokenSlot } from './token-slot.js';

/** `still-valid`: LINE accepts the token; `refused`: LINE does not; `unknown`: it could not say. */
export type Verdict = 'still-valid' | 'refused' | 'unknown';

/** The 401 reports of one manager, judged by LINE. */
export class Verdicts {
  readonly #issuer: Issuer;
  readonly #s: Settings;
  readonly #slot: () => TokenSlot;
  readonly #warn: (warning: TokenManagerWarning) => void;
  /** The token LINE last accepted after a 401, and when: later reports wait a while. */
  #vouched: { token: string; at: number } | undefined;
  #judging: { token: string; verdict: Promise<Verdict> } | undefined;
  /** Tokens refused soon after their issue, in a row. */
  #earlyInRow = 0;

  constructor(deps: {
    issuer: Issuer;
    settings: Settings;
    slot: () => TokenSlot;
    warn: (warning: TokenManagerWarning) => void;
  }) {
    this.#issuer = deps.issuer;
    this.#s = deps.settings;
    this.#slot = deps.slot;
    this.#warn = deps.warn;
  }

  /**
   * Asks LINE about `token`, once however many report it at the same time. A token LINE
   * accepted is not asked about again for `retry.backoffLimitMs`: a 401 that persists is
   * then answered without a request. Tokens that are not current are `unknown`.
   */
  judge(token: string): Promise<Verdict> {
    const now = this.#s.now();
    const vouched = this.#vouched;
    if (vouched?.token === token && now - vouched.at < this.#s.backoff.maxMs) {
      return Promise.resolve('still-valid');
    }
    const slot = this.#slot();
    const verify = this.#issuer.verify;
    if (verify === undefined || token !== slot.current?.accessToken || token === slot.invalidated) {
      return Promise.resolve('unknown');
    }
    if (this.#judging?.token === token) return this.#judging.verdict;
    const verdict = verify(token).then(
      (valid): Verdict => {
        if (!valid) return 'refused';
        if (this.#vouched?.token !== token) this.#warnStillValid();
        this.#vouched = { token, at: this.#s.now() };
        return 'still-valid';
      },
      (): Verdict => 'unknown',
    );
    const judging = { token, verdict };
    this.#judging = judging;
    const clear = (): void => {
      if (this.#judging === judging) this.#judging = undefined;
    };
    void verdict.then(clear);
    return verdict;
  }

  /**
   * After LINE refused the current `token`: the pause to take when it was the second
   * token in a row refused soon after its issue, else `undefined` (replace it at once).
   */
  revokedEarly(token: string): IssueBlocked | undefined {
    const current = this.#slot().current;
    if (current?.accessToken !== token) return undefined;
    const age = this.#s.now() - current.issuedAt;
    const soon = Math.min(EARLY_REVOCATION_MS, (current.expiresAt - current.issuedAt) / 4);
    if (age >= soon) {
      this.#earlyInRow = 0;
      return undefined;
    }
    this.#earlyInRow++;
    if (this.#earlyInRow < 2) return undefined;
    const { type, channelId } = this.#issuer;
    const why =
      type === 'short-lived'
        ? "LINE revokes a channel's oldest short-lived token when a 31st is issued, so other holders are issuing short-lived tokens for this channel"
        : 'another program (or line-token revoke) revokes the tokens this manager issues';
    const message = `the ${type} tokens of channel ${channelId} were refused ${this.#earlyInRow} times in a row soon after their issue: ${why}`;
    const pause = `the manager waits ${hours(this.#s.backoff.maxMs)} before issuing again instead of joining the loop`;
    this.#warn({
      code: 'TOKEN_REVOKED_EARLY',
      message: `${message}; ${pause}. If ${SEPARATE_STORES_ADVICE}`,
    });
    return new IssueBlocked(message, {
      permanent: false,
      hint: `${pause[0]!.toUpperCase()}${pause.slice(1)}. If ${SEPARATE_STORES_ADVICE}`,
    });
  }

  #warnStillValid(): void {
    const { type, channelId } = this.#issuer;
    this.#warn({
      code: 'UNAUTHORIZED_BUT_VALID',
      message: `a request was refused with 401 while LINE still accepts the current ${type} token of channel ${channelId}: something between this process and LINE refused it (a gateway or proxy with its own authentication, a wrong base URL); the manager keeps the token and issues no new one for such answers`,
    });
  }
}
