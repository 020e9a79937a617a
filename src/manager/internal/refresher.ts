/**
 * The token manager's state machine for an issuing strategy (v2.1, stateless,
 * short-lived): the hot path, the single-flight refresh, backoff and giving up. Where
 * the token comes from (store, lock, LINE) is acquire.ts; what replacing it implies is
 * token-slot.ts; this module decides when.
 *
 * @module
 */
import {
  InvalidArgumentError,
  LineApiError,
  type LineTokenError,
  type TokenUnavailableError,
} from '../../errors.js';
import type { TokenManagerStatus, TokenManagerWarning } from '../types.js';
import { acquire } from './acquire.js';
import type { Issued, Issuer } from './issuer.js';
import { BudgetExhausted, checkTokenLimit, LostLedger } from './limit.js';
import { warnerOf, type Settings } from './options.js';
import {
  asLineTokenError,
  closedError,
  describeError,
  errorCode,
  unavailableError,
} from './outcome.js';
import { IssuePatience } from './patience.js';
import { backoffDelayMs, isAmbiguous, isTransient } from './policy.js';
import { Revoker } from './revoker.js';
import type { StoreGate } from './store-gate.js';
import { withSignal } from '../../internal/with-signal.js';
import { scheduleAt, sleep } from './timers.js';
import { TokenSlot, type Counts } from './token-slot.js';

const noop = (): void => {};

/** One channel, one issuing strategy. */
export class Refresher {
  readonly #slot: TokenSlot;
  readonly #now: () => number;
  #pending: Promise<void> | undefined;
  #nextAttemptAt = Number.NEGATIVE_INFINITY;
  #transientFailures = 0;
  #permanentFailures = 0;
  #lastFailurePermanent = false;
  /** The last failure was the budget: no use waiting through the backoff for it. */
  #lastFailureBlocks = false;
  /** Ambiguous issue failures in a row (v2.1, short-lived): each may have cost a slot. */
  #ambiguousInRow = 0;
  readonly #patience: IssuePatience;
  readonly #ledger = new LostLedger();
  readonly #unaccounted: { count: number | undefined } = { count: undefined };
  #lastError: LineTokenError | undefined;
  #lastErrorAt = 0;
  #stopped: TokenUnavailableError | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;
  #wakeAt = Number.POSITIVE_INFINITY;
  #cancelWake: (() => void) | undefined;
  readonly #lastKeyIds: { ids: readonly string[] | undefined } = { ids: undefined };
  readonly #abort = new AbortController();
  readonly #counts: Counts = {
    issued: 0,
    adopted: 0,
    refreshes: 0,
    failures: 0,
    revocations: 0,
    invalidations: 0,
  };
  readonly #issuer: Issuer;
  readonly #gate: StoreGate;
  readonly #revoker: Revoker;
  readonly #s: Settings;
  readonly #warn: (warning: TokenManagerWarning) => void;

  constructor(issuer: Issuer, gate: StoreGate, settings: Settings) {
    this.#issuer = issuer;
    this.#gate = gate;
    this.#s = settings;
    this.#now = settings.now;
    this.#warn = warnerOf(settings);
    this.#patience = new IssuePatience(settings, gate.canLock);
    this.#revoker = new Revoker({
      issuer,
      settings,
      warn: this.#warn,
      onRevoked: () => this.#counts.revocations++,
    });
    this.#slot = new TokenSlot({
      issuer,
      settings,
      revoker: this.#revoker,
      counts: this.#counts,
      warn: this.#warn,
      onSet: (refreshAt) => {
        if (settings.keepWarm) this.#wake(refreshAt);
      },
    });
  }

  /** The hot path: a cached token before its refresh time costs a clock read and a compare. */
  getToken(signal?: AbortSignal): Promise<string> {
    const slot = this.#slot;
    if (this.#now() < slot.refreshAt) return Promise.resolve(slot.token);
    return this.#slow(signal);
  }

  async #slow(signal: AbortSignal | undefined): Promise<string> {
    const slot = this.#slot;
    if (this.#closed) throw closedError();
    const t = this.#now();
    if (t < slot.refreshAt) return slot.token;
    const usable = t < slot.serveUntil;
    if (usable && (t < slot.staleAt || t < this.#nextAttemptAt || this.#stopped !== undefined)) {
      this.#refreshInBackground();
      return slot.token;
    }
    if (!usable) {
      if (this.#stopped !== undefined) throw this.#stopped;
      // A permanent failure, or the budget, is not retried before its backoff: fail fast
      // rather than wait.
      if ((this.#lastFailurePermanent || this.#lastFailureBlocks) && t < this.#nextAttemptAt) {
        throw this.#unavailable(this.#lastError);
      }
    }
    let failure: unknown;
    try {
      await withSignal(this.#refresh(), signal);
    } catch (err) {
      if (signal?.aborted === true && err === signal.reason) throw err;
      failure = err;
    }
    if (this.#closed) throw closedError();
    if (this.#now() < slot.serveUntil) return slot.token;
    throw this.#unavailable(failure ?? this.#lastError);
  }

  /** Hands back a token the Messaging API refused (401): one refresh, however many report it. */
  async invalidate(token: string): Promise<void> {
    if (typeof token !== 'string' || token === '') {
      throw new InvalidArgumentError(
        'token',
        'invalidate() needs the access token that was refused',
      );
    }
    if (this.#closed) return;
    if (this.#slot.invalidate(token)) {
      this.#counts.invalidations++;
      await this.#refresh().catch(noop);
      return;
    }
    // Superseded already, or reported before: join the refresh under way, if any.
    await this.#pending?.catch(noop);
  }

  #refreshInBackground(): void {
    if (this.#pending !== undefined || this.#stopped !== undefined || this.#closed) return;
    if (this.#now() < this.#nextAttemptAt) {
      this.#wake(this.#nextAttemptAt);
      return;
    }
    // Failures are recorded and reported by the cycle itself.
    this.#refresh().catch(noop);
  }

  /** At most one refresh at a time; the promise is cleared only if it is still the current one. */
  #refresh(): Promise<void> {
    if (this.#pending !== undefined) return this.#pending;
    const pending = this.#cycle();
    this.#pending = pending;
    const clear = (): void => {
      if (this.#pending === pending) this.#pending = undefined;
    };
    pending.then(clear, clear);
    return pending;
  }

  /**
   * Attempts until one succeeds. With a token still to serve, a transient failure ends
   * the cycle (a timer retries after the backoff); without one, callers are waiting, so
   * the cycle waits out the backoff itself, up to `retry.limit`.
   */
  async #cycle(): Promise<void> {
    this.#counts.refreshes++;
    for (let attempt = 1; ; attempt++) {
      const wait = this.#nextAttemptAt - this.#now();
      if (wait > 0) await sleep(this.#s.timers, wait, this.#abort.signal);
      if (this.#closed) throw closedError();
      if (this.#stopped !== undefined) throw this.#stopped;
      try {
        await acquire({
          gate: this.#gate,
          slot: this.#slot,
          settings: this.#s,
          issue: (storedKeyId, degraded) => this.#issue(storedKeyId, degraded),
        });
        this.#transientFailures = 0;
        this.#permanentFailures = 0;
        this.#ambiguousInRow = 0;
        this.#lastFailurePermanent = false;
        this.#lastFailureBlocks = false;
        this.#nextAttemptAt = Number.NEGATIVE_INFINITY;
        return;
      } catch (caught) {
        const err = asLineTokenError(caught);
        const transient = this.#recordFailure(err);
        if (!transient) throw err;
        // The budget frees up only as tokens expire: no use waiting for it in this cycle.
        if (this.#now() < this.#slot.serveUntil || err instanceof BudgetExhausted) {
          this.#wake(this.#nextAttemptAt);
          throw err;
        }
        if (attempt >= this.#s.maxAttempts) throw err;
      }
    }
  }

  /**
   * One issue, after the v2.1 checks (slot budget, 30-token limit). An ambiguous failure
   * (LINE may have issued a token we never saw) goes in the ledger; a timeout gives the
   * next issue twice the time, up to the maximum.
   */
  async #issue(storedKeyId: string | undefined, degraded: boolean): Promise<Issued> {
    await checkTokenLimit({
      degraded,
      issuer: this.#issuer,
      settings: this.#s,
      revoker: this.#revoker,
      currentKeyId: this.#slot.current?.keyId,
      storedKeyId,
      lastKeyIds: this.#lastKeyIds,
      unaccounted: this.#unaccounted,
      ledger: this.#ledger,
      warn: this.#warn,
    });
    const startedAt = this.#now();
    try {
      const issued = await this.#issuer.issue(this.#patience.timeoutMs);
      this.#counts.issued++;
      this.#patience.answered();
      return issued;
    } catch (err) {
      if (isAmbiguous(err)) this.#ledger.add(startedAt, this.#issuer.maxLifetimeMs);
      this.#patience.failed(err);
      throw err;
    }
  }

  #recordFailure(err: LineTokenError): boolean {
    const blocks = err instanceof BudgetExhausted;
    const transient = blocks || isTransient(err);
    const t = this.#now();
    this.#counts.failures++;
    this.#lastError = err;
    this.#lastErrorAt = t;
    this.#lastFailurePermanent = !transient;
    this.#lastFailureBlocks = blocks;
    // Each ambiguous issue of a v2.1 or short-lived token may have cost a slot: never
    // repeated at the transient pace, nor hurried by the serving deadline.
    const costly = this.#issuer.type !== 'stateless' && isAmbiguous(err);
    if (costly) this.#ambiguousInRow++;
    else if (!blocks) this.#ambiguousInRow = 0;
    if (blocks) {
      // Unaccounted tokens go away only when they expire: look again at the slowest pace.
      this.#nextAttemptAt = t + this.#s.backoff.maxMs;
    } else if (transient) {
      this.#transientFailures++;
      const retryAfterSec = err instanceof LineApiError ? err.retryAfterSec : undefined;
      const remainingMs = this.#slot.serveUntil - t;
      const delay = backoffDelayMs(
        this.#transientFailures + 2 * this.#ambiguousInRow,
        this.#s.backoff,
        this.#s.random(),
        retryAfterSec,
        costly || remainingMs <= 0 ? undefined : remainingMs,
      );
      this.#nextAttemptAt = t + delay;
    } else {
      this.#permanentFailures++;
      this.#nextAttemptAt = t + this.#s.backoff.maxMs;
      if (this.#permanentFailures >= this.#s.maxPermanentFailures) {
        this.#stopped = this.#unavailable(err, this.#permanentFailures);
      }
    }
    try {
      this.#s.hooks.onRefreshError({
        error: err,
        permanent: !transient,
        nextAttemptAt: this.#stopped === undefined ? this.#nextAttemptAt : undefined,
        servingCurrentToken: t < this.#slot.serveUntil,
      });
    } catch (hookError) {
      this.#warn({
        code: 'HOOK_FAILED',
        message: 'the onRefreshError hook threw',
        cause: hookError,
      });
    }
    return transient;
  }

  /** One timer for both the keep-warm refresh and the retry after a backoff. */
  #wake(at: number): void {
    if (this.#closed || at >= this.#wakeAt) return;
    this.#cancelWake?.();
    this.#wakeAt = at;
    this.#cancelWake = scheduleAt(this.#s.timers, this.#now, at, () => {
      this.#wakeAt = Number.POSITIVE_INFINITY;
      this.#cancelWake = undefined;
      if (this.#now() >= this.#slot.refreshAt) this.#refreshInBackground();
      else if (this.#s.keepWarm) this.#wake(this.#slot.refreshAt);
    });
  }

  #unavailable(err: unknown, gaveUpAfter?: number): TokenUnavailableError {
    return unavailableError(err, {
      type: this.#issuer.type,
      channelId: this.#issuer.channelId,
      kid: this.#issuer.kid,
      liveKeyIds: this.#lastKeyIds.ids,
      gaveUpAfter,
    });
  }

  /** A snapshot without the token. */
  status(): TokenManagerStatus {
    const c = this.#slot.current;
    const lastError = this.#lastError;
    return {
      type: this.#issuer.type,
      channelId: this.#issuer.channelId,
      hasToken: !this.#closed && this.#now() < this.#slot.serveUntil,
      keyId: c?.keyId,
      issuedAt: c?.issuedAt,
      expiresAt: c?.expiresAt,
      refreshAt: c?.refreshAt,
      refreshing: this.#pending !== undefined,
      nextAttemptAt: Number.isFinite(this.#nextAttemptAt) ? this.#nextAttemptAt : undefined,
      degraded: this.#gate.degraded,
      stopped: this.#stopped !== undefined,
      closed: this.#closed,
      lastError:
        lastError === undefined
          ? undefined
          : {
              code: errorCode(lastError),
              message: describeError(lastError),
              at: this.#lastErrorAt,
            },
      unaccountedTokens: this.#unaccounted.count,
      counts: { ...this.#counts },
    };
  }

  /** Resolves once no refresh and no revocation request is running. */
  async idle(): Promise<void> {
    for (;;) {
      const pending = this.#pending;
      if (pending !== undefined) {
        await pending.catch(noop);
        continue;
      }
      await this.#revoker.idle();
      if (this.#pending === undefined) return;
    }
  }

  /**
   * Stops timers, aborts the refresh in flight, revokes the superseded tokens still waiting
   * (and the current one under `revoke.onClose`), and waits for all of it.
   */
  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    const current = this.#slot.current;
    this.#slot.close();
    // Scheduled before flush(), which revokes every waiting token at once.
    if (current !== undefined && this.#s.revokeOnClose) this.#revoker.schedule(current, 'current');
    this.#cancelWake?.();
    this.#abort.abort(closedError());
    this.#closing = (async () => {
      await this.#pending?.catch(noop);
      await this.#revoker.flush();
    })();
    return this.#closing;
  }
}
