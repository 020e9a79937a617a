/**
 * What the demo knows about its tokens: each one's number in the run, told by the
 * manager's hooks, and the timeline rows those hooks produce. Token values stay in this
 * module's maps, in memory; only numbers and key-id fingerprints come out.
 *
 * @module
 */
import { TOKEN_MANAGER_DEFAULTS } from '../manager/defaults.js';
import type { TokenManagerOptions } from '../manager/options.js';
import { describeFailure } from './failure.js';
import { fingerprint, formatClock, formatSpan, revocationReason } from './timeline.js';

/** A token as the demo tracks it. */
export interface TrackedToken {
  /** Its number in this run: 1 for the first token, 2 for the first rotation... */
  readonly n: number;
  /** Epoch ms. */
  readonly expiresAt: number;
}

/** A timeline row waiting for the live-token count. */
export interface PendingRow {
  readonly at: number;
  readonly event: string;
  readonly token: number | undefined;
  readonly detail: string;
}

/** The hooks the tracker gives the manager. */
export type TrackerHooks = Required<
  Pick<TokenManagerOptions, 'onTokenIssued' | 'onRevoked' | 'onWarning' | 'onRefreshError'>
>;

/**
 * Numbers tokens as the manager issues them and turns each hook call into a row.
 *
 * @example
 * ```ts
 * const tracker = new TokenTracker({ now: clock.now, originMs: clock.now() });
 * const manager = new TokenManager({ strategy, ...tracker.hooks });
 * ```
 */
export class TokenTracker {
  readonly #now: () => number;
  readonly #originMs: number;
  readonly #byToken = new Map<string, TrackedToken>();
  readonly #byKeyId = new Map<string, TrackedToken>();
  #rows: PendingRow[] = [];
  #last: TrackedToken | undefined;
  #issued = 0;
  #revoked = 0;

  constructor(options: { now: () => number; originMs: number }) {
    this.#now = options.now;
    this.#originMs = options.originMs;
  }

  /** Tokens issued so far. */
  get issued(): number {
    return this.#issued;
  }

  /** Superseded tokens revoked so far. */
  get revoked(): number {
    return this.#revoked;
  }

  /** The tracked token behind a value `getToken()` served. */
  lookup(accessToken: string): TrackedToken | undefined {
    return this.#byToken.get(accessToken);
  }

  /** The rows produced since the last call. */
  drain(): PendingRow[] {
    const rows = this.#rows;
    this.#rows = [];
    return rows;
  }

  readonly hooks: TrackerHooks = {
    onTokenIssued: (e) => {
      const tracked = { n: ++this.#issued, expiresAt: e.expiresAt };
      this.#byToken.set(e.accessToken, tracked);
      if (e.keyId !== undefined) this.#byKeyId.set(e.keyId, tracked);
      const life = `key_id ${fingerprint(e.keyId)}, expires ${this.#at(e.expiresAt)}`;
      const last = this.#last;
      if (last === undefined) {
        this.#push('issued', tracked.n, `${life}, refresh due ${this.#at(e.refreshAt)}`);
      } else {
        const early = formatSpan(last.expiresAt - e.issuedAt);
        this.#push(
          'refreshed',
          tracked.n,
          `proactive: replaces #${last.n} ${early} before it expires; ${life}`,
        );
      }
      this.#last = tracked;
    },
    onRevoked: (e) => {
      this.#revoked++;
      const n = e.keyId === undefined ? undefined : this.#byKeyId.get(e.keyId)?.n;
      const why = revocationReason(e.reason, TOKEN_MANAGER_DEFAULTS.revoke.graceMs);
      this.#push('revoked', n, `superseded, ${why} (key_id ${fingerprint(e.keyId)})`);
    },
    onWarning: (w) => this.#push('warning', undefined, w.message),
    onRefreshError: (e) =>
      this.#push(
        'error',
        undefined,
        `${describeFailure(e.error)}${e.servingCurrentToken ? ' (current token still served)' : ''}`,
      ),
  };

  #at(ms: number): string {
    return formatClock(ms, this.#originMs);
  }

  #push(event: string, token: number | undefined, detail: string): void {
    this.#rows.push({ at: this.#now(), event, token, detail });
  }
}
