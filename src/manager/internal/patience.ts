/**
 * How long the next issue call may take. An issue that timed out may have reached LINE
 * and cost a slot, so the next one is given twice the time (up to `retry.issueTimeoutLimitMs`,
 * and with a store that locks, never more than three quarters of `lock.ttlMs`, or another
 * process would take the lock over and issue too); an answer in time lets it decay back
 * toward the user's `timeoutMs`.
 *
 * @module
 */
import { LineTimeoutError } from '../../errors.js';
import type { Settings } from './options.js';

/** The issue timeout of one manager. */
export class IssuePatience {
  readonly #base: number;
  readonly #cap: number;
  #current: number;

  constructor(settings: Settings, storeLocks: boolean) {
    this.#base = settings.issueTimeoutMs;
    this.#cap = storeLocks
      ? Math.min(settings.maxIssueTimeoutMs, Math.floor((settings.lock.ttlMs * 3) / 4))
      : settings.maxIssueTimeoutMs;
    this.#current = this.#base;
  }

  /** The timeout of the next issue, ms. */
  get timeoutMs(): number {
    return this.#current;
  }

  /** LINE answered in time. */
  answered(): void {
    this.#current = Math.max(this.#base, Math.round(this.#current / 2));
  }

  /** The issue failed with `err`; a timeout earns the next one more time. */
  failed(err: unknown): void {
    if (err instanceof LineTimeoutError) {
      this.#current = Math.max(this.#current, Math.min(this.#current * 2, this.#cap));
    }
  }
}
