/**
 * Revokes superseded tokens after a grace period, so a channel under the manager holds
 * one live token, two during a rotation, and never drifts toward LINE's 30-token limit.
 *
 * @module
 */
import { LineApiError } from '../../errors.js';
import type { TokenManagerWarning, TokenRevokedEvent } from '../types.js';
import type { Issuer } from './issuer.js';
import type { Settings } from './options.js';
import { backoffDelayMs, isTransient } from './policy.js';
import { scheduleAt } from './timers.js';

/** A token to revoke. */
export interface RevokeTarget {
  readonly accessToken: string;
  readonly keyId: string | undefined;
  readonly expiresAt: number;
}

interface Pending {
  readonly target: RevokeTarget;
  readonly attempt: number;
  /** What `flush()` reports when it revokes this one early. */
  readonly flushReason: 'superseded-at-close' | 'current-at-close';
  cancel: () => void;
}

/** Schedules, retries and reports revocations of one manager's superseded tokens. */
export class Revoker {
  readonly #issuer: Issuer;
  readonly #s: Settings;
  readonly #warn: (warning: TokenManagerWarning) => void;
  readonly #onRevoked: () => void;
  readonly #onAbandoned: (target: RevokeTarget) => void;
  /** Waiting for their grace period (or a retry), by token. */
  readonly #pending = new Map<string, Pending>();
  readonly #inFlight = new Set<Promise<void>>();
  /** Key ids of the revocations running now: still live on LINE, still accounted for. */
  readonly #inFlightKeyIds = new Map<string, number>();
  /** Key ids of superseded tokens that will not be revoked, with their expiry. */
  readonly #expiring = new Map<string, number>();
  #warnedNoSecret = false;
  #closing = false;

  constructor(deps: {
    issuer: Issuer;
    settings: Settings;
    warn: (warning: TokenManagerWarning) => void;
    onRevoked: () => void;
    /** A revocation given up: the token stays live, held by nobody, until it expires. */
    onAbandoned?: (target: RevokeTarget) => void;
  }) {
    this.#issuer = deps.issuer;
    this.#s = deps.settings;
    this.#warn = deps.warn;
    this.#onRevoked = deps.onRevoked;
    this.#onAbandoned = deps.onAbandoned ?? (() => {});
  }

  // A superseded token left to expire (no channel secret, or revokeSuperseded: false) is
  // still this manager's: it counts as accounted for until it expires.
  #keepUntilExpiry(target: RevokeTarget): void {
    if (target.keyId !== undefined) this.#expiring.set(target.keyId, target.expiresAt);
  }

  /** The LINE key ids of superseded tokens not yet revoked (or left to expire). */
  knownKeyIds(): Set<string> {
    const ids = new Set<string>();
    const now = this.#s.now();
    for (const [id, expiresAt] of this.#expiring) {
      if (expiresAt <= now) this.#expiring.delete(id);
      else ids.add(id);
    }
    for (const { target } of this.#pending.values()) if (target.keyId) ids.add(target.keyId);
    for (const id of this.#inFlightKeyIds.keys()) ids.add(id);
    return ids;
  }

  /** When the superseded tokens it knows of expire, epoch ms (for "a slot frees by"). */
  knownExpiries(): number[] {
    return [
      ...this.#expiring.values(),
      ...[...this.#pending.values()].map((p) => p.target.expiresAt),
    ];
  }

  /**
   * Revokes `target` once the grace period has passed (or at `flush()`). Says once if it
   * cannot. `superseded` tokens follow `revoke.superseded`; `current` is the token in use,
   * queued by `close()` under `revoke.onClose`.
   */
  schedule(target: RevokeTarget, kind: 'superseded' | 'current' = 'superseded'): void {
    if (kind === 'superseded' && !this.#s.revoke.superseded) {
      this.#keepUntilExpiry(target);
      return;
    }
    if (this.#closing || this.#pending.has(target.accessToken)) return;
    if (this.#issuer.revoke === undefined) {
      this.#keepUntilExpiry(target);
      if (this.#issuer.cannotRevoke !== undefined && !this.#warnedNoSecret) {
        this.#warnedNoSecret = true;
        this.#warn({ code: 'NO_CHANNEL_SECRET', message: this.#issuer.cannotRevoke });
      }
      return;
    }
    this.#arm(
      target,
      1,
      this.#s.now() + this.#s.revoke.graceMs,
      kind === 'current' ? 'current-at-close' : 'superseded-at-close',
    );
  }

  /**
   * Revokes at once the superseded tokens whose key id is in `keyIds` (the channel is
   * near the limit, so the grace period gives way). Resolves with the key ids revoked.
   */
  async revokeKnownNow(keyIds: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(keyIds);
    const revoked = new Set<string>();
    const runs: Promise<void>[] = [];
    for (const [token, pending] of this.#pending) {
      const keyId = pending.target.keyId;
      if (keyId === undefined || !wanted.has(keyId)) continue;
      pending.cancel();
      this.#pending.delete(token);
      runs.push(
        this.#run(pending.target, 'token-limit', this.#s.revoke.attempts).then((ok) => {
          if (ok) revoked.add(keyId);
        }),
      );
    }
    await Promise.all(runs);
    return revoked;
  }

  /** Revokes every waiting token now (on `close()`) and waits for all revocations. */
  async flush(): Promise<void> {
    this.#closing = true;
    const waiting = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of waiting) {
      pending.cancel();
      // Fire and forget: #run never rejects (a failure becomes a warning) and joins
      // #inFlight, which idle() below awaits.
      void this.#run(pending.target, pending.flushReason, this.#s.revoke.attempts);
    }
    await this.idle();
  }

  /** Resolves once no revocation request is in flight (waiting ones are not awaited). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #arm(
    target: RevokeTarget,
    attempt: number,
    at: number,
    flushReason: Pending['flushReason'] = 'superseded-at-close',
  ): void {
    if (at <= this.#s.now()) {
      // Fire and forget: #run never rejects and is tracked in #inFlight for idle().
      void this.#run(target, 'superseded', attempt);
      return;
    }
    const entry: Pending = {
      target,
      attempt,
      flushReason,
      cancel: () => {},
    };
    this.#pending.set(target.accessToken, entry);
    entry.cancel = scheduleAt(this.#s.timers, this.#s.now, at, () => {
      // Superseded by revokeKnownNow() or flush() meanwhile: they took it over.
      if (this.#pending.get(target.accessToken) !== entry) return;
      this.#pending.delete(target.accessToken);
      // Fire and forget from a timer: #run never rejects and is tracked for idle().
      void this.#run(target, 'superseded', attempt);
    });
  }

  /** One revocation attempt; a transient failure is retried later, up to `revoke.attempts`. */
  #run(
    target: RevokeTarget,
    reason: TokenRevokedEvent['reason'],
    attempt: number,
  ): Promise<boolean> {
    const revoke = this.#issuer.revoke;
    // An expired token no longer counts toward any limit: nothing to do.
    if (revoke === undefined || target.expiresAt <= this.#s.now()) return Promise.resolve(false);
    const run = revoke(target.accessToken).then(
      () => {
        this.#onRevoked();
        this.#emit({
          type: this.#issuer.type as TokenRevokedEvent['type'],
          channelId: this.#issuer.channelId,
          keyId: target.keyId,
          reason,
        });
        return true;
      },
      (err: unknown) => {
        if (isTransient(err) && attempt < this.#s.revoke.attempts && !this.#closing) {
          const retryAfterSec = err instanceof LineApiError ? err.retryAfterSec : undefined;
          const delay = backoffDelayMs(attempt, this.#s.backoff, this.#s.random(), retryAfterSec);
          this.#arm(target, attempt + 1, this.#s.now() + delay);
        } else {
          this.#onAbandoned(target);
          this.#warn({
            code: 'REVOKE_FAILED',
            message: `could not revoke ${reason === 'current-at-close' ? 'the current' : 'a superseded'} ${this.#issuer.type} token${
              target.keyId ? ` (key id ${target.keyId})` : ''
            } after ${attempt} attempt(s); it stays live until it expires`,
            cause: err,
          });
        }
        return false;
      },
    );
    const keyId = target.keyId;
    if (keyId !== undefined) {
      this.#inFlightKeyIds.set(keyId, (this.#inFlightKeyIds.get(keyId) ?? 0) + 1);
    }
    const tracked = run.then(() => {
      if (keyId === undefined) return;
      const n = (this.#inFlightKeyIds.get(keyId) ?? 1) - 1;
      if (n > 0) this.#inFlightKeyIds.set(keyId, n);
      else this.#inFlightKeyIds.delete(keyId);
    });
    this.#inFlight.add(tracked);
    // Bookkeeping only: `tracked` never rejects, since `run` turns every failure into false.
    void tracked.then(() => this.#inFlight.delete(tracked));
    return run;
  }

  #emit(event: TokenRevokedEvent): void {
    // Made safe once, in options.ts: a hook that throws is reported as HOOK_FAILED.
    this.#s.hooks.onRevoked(event);
  }
}
