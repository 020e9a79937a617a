/**
 * The current token of one manager and what follows from replacing it: its timing, the
 * store record, and which superseded token must be revoked.
 *
 * @module
 */
import type { StoredToken } from '../store.js';
import type { TokenManagerStatus } from '../types.js';
import type { Issued, Issuer } from './issuer.js';
import type { Settings } from './options.js';
import { tokenTiming, type TokenTiming } from './policy.js';
import type { Revoker, RevokeTarget } from './revoker.js';

/** The token in use. */
export interface Current extends RevokeTarget {
  readonly issuedAt: number;
  readonly refreshAt: number;
  /** Issued by this manager (not read from the store). */
  readonly ownIssued: boolean;
  /** Written to or read from the store, so other managers may hold it too. */
  readonly inStore: boolean;
}

/** Counters shared with the status snapshot. */
export interface Counts {
  issued: number;
  adopted: number;
  refreshes: number;
  failures: number;
  revocations: number;
  invalidations: number;
}

/** Counters at zero. */
export function zeroCounts(): Counts {
  return { issued: 0, adopted: 0, refreshes: 0, failures: 0, revocations: 0, invalidations: 0 };
}

/** Holds the current token; the manager's hot path reads `token` and `refreshAt` only. */
export class TokenSlot {
  /** The token to hand out, `''` when there is none. */
  token = '';
  /** Before this moment (epoch ms) `token` is handed out without a second thought. */
  refreshAt = Number.NEGATIVE_INFINITY;
  /** The last moment `token` may be handed out. */
  serveUntil = Number.NEGATIVE_INFINITY;
  /** Past this moment a caller first tries to replace the token (see the constructor). */
  staleAt = Number.NEGATIVE_INFINITY;
  /** The token in use, kept after invalidation so its replacement can supersede it. */
  current: Current | undefined;
  /** A token the Messaging API refused: never adopted again. */
  invalidated: string | undefined;

  readonly #issuer: Issuer;
  readonly #s: Settings;
  readonly #revoker: Revoker;
  readonly #counts: Counts;
  readonly #onSet: (refreshAt: number) => void;
  readonly #staleAfterMs: number;
  #closed = false;

  constructor(deps: {
    issuer: Issuer;
    settings: Settings;
    revoker: Revoker;
    counts: Counts;
    onSet: (refreshAt: number) => void;
  }) {
    this.#issuer = deps.issuer;
    this.#s = deps.settings;
    this.#revoker = deps.revoker;
    this.#counts = deps.counts;
    this.#onSet = deps.onSet;
    // With a shared store another process may rotate, then revoke our token after its
    // grace period; past half of it, a caller first looks for the new token.
    this.#staleAfterMs =
      deps.issuer.revoke !== undefined && deps.settings.revoke.superseded
        ? deps.settings.revoke.graceMs / 2
        : Number.POSITIVE_INFINITY;
  }

  /** The timing of a token; a refresh time from the store wins so a fleet agrees on it. */
  timingOf(issuedAt: number, expiresAt: number, storedRefreshAt?: number): TokenTiming {
    const base = tokenTiming(issuedAt, expiresAt, this.#s.random(), this.#s.window);
    if (storedRefreshAt === undefined) return base;
    return { refreshAt: Math.min(storedRefreshAt, base.serveUntil), serveUntil: base.serveUntil };
  }

  /** The store record of a freshly issued token. */
  recordOf(issued: Issued, timing: TokenTiming): StoredToken {
    return {
      accessToken: issued.accessToken,
      expiresAt: issued.expiresAt,
      issuedAt: issued.issuedAt,
      type: this.#issuer.type,
      channelId: this.#issuer.channelId,
      refreshAt: timing.refreshAt,
      ...(issued.keyId === undefined ? {} : { keyId: issued.keyId }),
    };
  }

  /** The token fields of `status()`, times in whole ms, never the token itself. */
  status(
    now: number,
    closed: boolean,
  ): Pick<TokenManagerStatus, 'hasToken' | 'keyId' | 'issuedAt' | 'expiresAt' | 'refreshAt'> {
    const c = this.current;
    const ms = (t: number | undefined) => (t === undefined ? undefined : Math.ceil(t));
    return {
      hasToken: !closed && now < this.serveUntil,
      keyId: c?.keyId,
      issuedAt: ms(c?.issuedAt),
      expiresAt: ms(c?.expiresAt),
      refreshAt: ms(c?.refreshAt),
    };
  }

  /** Stops handing out `token` if it is the current one; `false` if it was not (or already). */
  invalidate(token: string): boolean {
    if (token !== this.current?.accessToken || token === this.invalidated) return false;
    this.invalidated = token;
    this.#unset();
    return true;
  }

  /** No token any more, not even from a refresh still finishing (on close). */
  close(): void {
    this.#closed = true;
    this.#unset();
  }

  /**
   * Takes the stored token if it is of our strategy, not refused, and not yet due for
   * refresh; with `servable`, also when it is due but may still be served and this
   * manager has nothing it may serve (the refresh of the fleet's token failed here).
   */
  adoptIfFresh(stored: StoredToken | undefined, servable = false): boolean {
    if (
      stored === undefined ||
      stored.type !== this.#issuer.type ||
      stored.accessToken === this.invalidated
    ) {
      return false;
    }
    const now = this.#s.now();
    const current = this.current;
    if (current !== undefined && stored.accessToken === current.accessToken) {
      // Ours already: keep the refresh time decided on rather than drawing a new one.
      if (now >= current.refreshAt) return false;
      const { serveUntil } = this.timingOf(current.issuedAt, current.expiresAt);
      this.#set(current, { refreshAt: current.refreshAt, serveUntil });
      return true;
    }
    const timing = this.timingOf(stored.issuedAt, stored.expiresAt, stored.refreshAt);
    const ok = servable
      ? now < timing.serveUntil && now >= this.serveUntil
      : now < timing.refreshAt;
    if (!ok) return false;
    this.#set(
      {
        accessToken: stored.accessToken,
        keyId: stored.keyId,
        issuedAt: stored.issuedAt,
        expiresAt: stored.expiresAt,
        refreshAt: timing.refreshAt,
        ownIssued: false,
        inStore: true,
      },
      timing,
    );
    this.#counts.adopted++;
    // A token of ours that only this process knew (issued while the store was down) is
    // superseded by the fleet's: revoke it. One in the store is its replacer's to revoke.
    if (current !== undefined && current.ownIssued && !current.inStore) {
      this.#revoker.schedule(current);
    }
    return true;
  }

  /** Makes a token this manager just issued the current one. */
  adoptIssued(
    issued: Issued,
    timing: TokenTiming,
    replaced: StoredToken | undefined,
    inStore: boolean,
  ): void {
    const previous = this.current;
    if (this.#closed && this.#s.revoke.onClose) {
      // close() ran while this issue was in flight: nobody can use the token now, so it is
      // revoked with the rest at close() rather than left live on the channel.
      this.#revoker.schedule(
        { accessToken: issued.accessToken, keyId: issued.keyId, expiresAt: issued.expiresAt },
        'current',
      );
    }
    this.#set(
      {
        accessToken: issued.accessToken,
        keyId: issued.keyId,
        issuedAt: issued.issuedAt,
        expiresAt: issued.expiresAt,
        refreshAt: timing.refreshAt,
        ownIssued: true,
        inStore,
      },
      timing,
    );
    // Revoke what the new token supersedes: the stored token it replaces (whoever issued
    // it), and our own previous token whatever the store says: a store that lost our write
    // or evicted the key hands back nothing to replace, yet that token is still live. If
    // another member revokes it too, LINE answers the second revoke 200 as well.
    const targets = new Map<string, RevokeTarget>();
    if (replaced !== undefined && replaced.type === this.#issuer.type) {
      targets.set(replaced.accessToken, {
        accessToken: replaced.accessToken,
        keyId: replaced.keyId,
        expiresAt: replaced.expiresAt,
      });
    }
    if (previous !== undefined) targets.set(previous.accessToken, previous);
    targets.delete(issued.accessToken);
    for (const target of targets.values()) this.#revoker.schedule(target);
    // Hooks are made safe once, in options.ts: one that throws is reported as HOOK_FAILED.
    this.#s.hooks.onTokenIssued({
      accessToken: issued.accessToken,
      type: this.#issuer.type,
      channelId: this.#issuer.channelId,
      keyId: issued.keyId,
      issuedAt: issued.issuedAt,
      expiresAt: issued.expiresAt,
      refreshAt: timing.refreshAt,
    });
  }

  #set(current: Current, timing: TokenTiming): void {
    if (this.#closed) return;
    this.current = current;
    this.serveUntil = timing.serveUntil;
    this.staleAt = timing.refreshAt + this.#staleAfterMs;
    this.token = current.accessToken;
    this.refreshAt = timing.refreshAt;
    this.#onSet(timing.refreshAt);
  }

  #unset(): void {
    this.token = '';
    this.refreshAt = Number.NEGATIVE_INFINITY;
    this.serveUntil = Number.NEGATIVE_INFINITY;
    this.staleAt = Number.NEGATIVE_INFINITY;
  }
}
