/**
 * The token manager's state machine for an issuing strategy (v2.1, stateless,
 * short-lived): the hot path, the single-flight refresh and when to try again. Where
 * the token comes from (store, lock, LINE) is acquire.ts; the v2.1 checks before each
 * issue are guarded-issue.ts; the backoff after a failure and giving up are failures.ts;
 * what replacing a token implies is token-slot.ts; this module decides when.
 *
 * @module
 */
import type { TokenUnavailableError } from '../../errors.js';
import type { TokenManagerStatus, TokenManagerWarning } from '../types.js';
import { acquire } from './acquire.js';
import type { Issued, Issuer } from './issuer.js';
import { IssueBlocked } from './limit.js';
import { GuardedIssuer } from './guarded-issue.js';
import { warnerOf, type Settings } from './options.js';
import { asLineTokenError, closedError, unavailableError } from './outcome.js';
import { Failures } from './failures.js';
import { Revoker } from './revoker.js';
import type { StoreGate } from './store-gate.js';
import { withSignal } from '../../internal/with-signal.js';
import { sleep } from '../../internal/sleep.js';
import { Wake } from './timers.js';
import { TokenSlot, zeroCounts, type Counts } from './token-slot.js';
import { Verdicts } from './verdicts.js';
import type { TelemetrySource } from '../../telemetry/types.js';
import { telemetrySource } from './telemetry-source.js';

const noop = (): void => {};

/** One channel, one issuing strategy. */
export class Refresher {
  readonly #slot: TokenSlot;
  readonly #now: () => number;
  #pending: Promise<void> | undefined;
  readonly #failures: Failures;
  readonly #issues: GuardedIssuer;
  readonly #verdicts: Verdicts;
  #closed = false;
  #closing: Promise<void> | undefined;
  readonly #waker: Wake;
  readonly #abort = new AbortController();
  readonly #counts: Counts = zeroCounts();
  readonly #issuer: Issuer;
  readonly #gate: StoreGate;
  readonly #revoker: Revoker;
  readonly #s: Settings;
  readonly #warn: (warning: TokenManagerWarning) => void;
  #telemetrySource: TelemetrySource | undefined;

  constructor(issuer: Issuer, gate: StoreGate, settings: Settings) {
    this.#issuer = issuer;
    this.#gate = gate;
    this.#s = settings;
    this.#now = settings.now;
    this.#warn = warnerOf(settings);
    this.#waker = new Wake(settings.timers, settings.now, () => {
      if (this.#now() >= this.#slot.refreshAt) this.#refreshInBackground();
      else if (settings.keepWarm) this.#wake(this.#slot.refreshAt);
    });
    this.#failures = new Failures({
      settings,
      costsSlots: issuer.type !== 'stateless',
      unavailable: (err, gaveUpAfter) => this.#unavailable(err, gaveUpAfter),
    });
    const base = { issuer, settings, warn: this.#warn };
    this.#revoker = new Revoker({
      ...base,
      onRevoked: () => this.#counts.revocations++,
      onAbandoned: (target) => this.#issues.abandoned(target),
    });
    this.#issues = new GuardedIssuer({ ...base, revoker: this.#revoker, gate });
    this.#verdicts = new Verdicts({ ...base, slot: () => this.#slot });
    this.#slot = new TokenSlot({
      ...base,
      revoker: this.#revoker,
      counts: this.#counts,
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
    const f = this.#failures;
    if (usable && (t < slot.staleAt || t < f.nextAttemptAt || f.stopped !== undefined)) {
      this.#refreshInBackground();
      return slot.token;
    }
    if (!usable) {
      if (f.stopped !== undefined) throw f.stopped;
      // A permanent failure, or the budget, is not retried before its backoff: fail fast
      // rather than wait.
      if (f.failFast && t < f.nextAttemptAt) {
        // Another member of the fleet may have written a token since: serve it if so.
        if (await this.#adoptStored()) return slot.token;
        throw this.#unavailable(f.lastError);
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
    throw this.#unavailable(failure ?? f.lastError);
  }

  /**
   * A token the Messaging API refused (401): kept if LINE still accepts it (verdicts.ts),
   * else replaced by one refresh, or after a pause when it was revoked soon after its issue.
   */
  async invalidate(token: string, verify = true): Promise<void> {
    if (this.#closed) return;
    const verdict = verify ? await this.#verdicts.judge(token) : 'unknown';
    if (this.#closed) return;
    if (verdict === 'still-valid') return;
    if (this.#slot.invalidate(token)) {
      this.#counts.invalidations++;
      const early = verdict === 'refused' ? this.#verdicts.revokedEarly(token) : undefined;
      if (early !== undefined) {
        this.#failures.record(early, this.#now(), this.#slot.serveUntil);
        return;
      }
      await this.#refresh().catch(noop);
      return;
    }
    // Superseded already, or reported before: join the refresh under way, if any.
    await this.#pending?.catch(noop);
  }

  /** Serves the store's token if it may be served now (a store that fails has none). */
  async #adoptStored(): Promise<boolean> {
    return this.#slot.adoptIfFresh(await this.#gate.get().catch(() => undefined), true);
  }

  #refreshInBackground(): void {
    const f = this.#failures;
    if (this.#pending !== undefined || f.stopped !== undefined || this.#closed) return;
    if (this.#now() < f.nextAttemptAt) {
      this.#wake(f.nextAttemptAt);
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

  /** One refresh cycle, reported to the telemetry when there is one. */
  #cycle(): Promise<void> {
    const telemetry = this.#s.telemetry;
    if (telemetry === undefined) return this.#attempts();
    // One object per manager, so the telemetry's gauges keep reading this one.
    this.#telemetrySource ??= telemetrySource(this.#issuer, this.#now, this, this.#issues);
    return telemetry.refresh(this.#telemetrySource, () => this.#attempts());
  }

  /**
   * Attempts until one succeeds. With a token still to serve, a transient failure ends
   * the cycle (a timer retries after the backoff); without one, callers are waiting, so
   * the cycle waits out the backoff itself, up to `retry.limit`.
   */
  async #attempts(): Promise<void> {
    this.#counts.refreshes++;
    for (let attempt = 1; ; attempt++) {
      const wait = this.#failures.nextAttemptAt - this.#now();
      if (wait > 0) await sleep(wait, this.#abort.signal, this.#s.timers);
      if (this.#closed) throw closedError();
      if (this.#failures.stopped !== undefined) throw this.#failures.stopped;
      try {
        await acquire({
          gate: this.#gate,
          slot: this.#slot,
          settings: this.#s,
          issue: (storedKeyId, degraded) => this.#issue(storedKeyId, degraded),
        });
        this.#failures.succeeded();
        return;
      } catch (caught) {
        const err = asLineTokenError(caught);
        this.#counts.failures++;
        const transient = this.#failures.record(err, this.#now(), this.#slot.serveUntil);
        if (!transient) throw err;
        // The budget frees up only as tokens expire: no use waiting for it in this cycle.
        if (this.#now() < this.#slot.serveUntil || err instanceof IssueBlocked) {
          this.#wake(this.#failures.nextAttemptAt);
          throw err;
        }
        if (attempt >= this.#s.maxAttempts) throw err;
      }
    }
  }

  /** One issue, guarded by the v2.1 slot budget (see guarded-issue.ts). */
  async #issue(storedKeyId: string | undefined, degraded: boolean): Promise<Issued> {
    const issued = await this.#issues.issue(this.#slot.current?.keyId, storedKeyId, degraded);
    this.#counts.issued++;
    return issued;
  }

  /** One timer for both the keep-warm refresh and the retry after a backoff. */
  #wake(at: number): void {
    if (!this.#closed) this.#waker.at(at);
  }

  #unavailable(err: unknown, gaveUpAfter?: number): TokenUnavailableError {
    return unavailableError(err, {
      type: this.#issuer.type,
      channelId: this.#issuer.channelId,
      kid: this.#issuer.kid,
      liveKeyIds: this.#issues.lastKeyIds,
      gaveUpAfter,
    });
  }

  /** A snapshot without the token. */
  status(): TokenManagerStatus {
    return {
      type: this.#issuer.type,
      channelId: this.#issuer.channelId,
      ...this.#slot.status(this.#now(), this.#closed),
      refreshing: this.#pending !== undefined,
      degraded: this.#gate.degraded,
      closed: this.#closed,
      ...this.#failures.status(),
      ...this.#issues.status(),
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
      await this.#issues.settled();
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
    // Scheduled before flush(), which revokes every waiting token at once. A token that never
    // reached the store is revoked whatever `revoke.onClose` says: nobody else can use it.
    if (
      current !== undefined &&
      (this.#s.revoke.onClose || (current.ownIssued && !current.inStore))
    ) {
      this.#revoker.schedule(current, 'current');
    }
    this.#waker.cancel();
    this.#abort.abort(closedError());
    this.#closing = (async () => {
      await this.#pending?.catch(noop);
      await this.#revoker.flush();
      await this.#issues.settled();
    })();
    return this.#closing;
  }
}
