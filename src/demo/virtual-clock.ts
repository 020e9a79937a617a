/**
 * A virtual clock with timers that fire as the demo moves it forward, so days of token
 * lifetimes pass in a moment while the manager and the emulator both read the same time.
 *
 * @module
 */
import type { ManagerTimers } from '../manager/types.js';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/**
 * Epoch-millisecond time that only moves when {@link VirtualClock.advanceTo} is called,
 * plus `setTimeout`/`clearTimeout` on that time (a {@link ManagerTimers}).
 *
 * @example
 * ```ts
 * const clock = new VirtualClock(Date.UTC(2025, 0, 1));
 * const manager = new TokenManager({ strategy, now: clock.now, timers: clock });
 * await clock.advanceTo(clock.now() + 3_600_000, () => manager.idle());
 * ```
 */
export class VirtualClock implements ManagerTimers {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  /** @param startMs - the initial time, epoch milliseconds. */
  constructor(startMs: number) {
    if (!Number.isFinite(startMs)) {
      throw new TypeError('VirtualClock needs a finite start time in epoch milliseconds');
    }
    this.#now = startMs;
  }

  /** The current virtual time, epoch ms. Bound, so it can be handed over as `now`. */
  readonly now = (): number => this.#now;

  /** Runs `callback` once the clock has been advanced `delayMs` past now. */
  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++;
    const delay = Number.isFinite(delayMs) ? Math.max(0, delayMs) : 0;
    this.#timers.set(id, { id, at: this.#now + delay, callback });
    return id;
  }

  /** Cancels a timer; unknown handles are ignored, like the global one does. */
  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.#timers.delete(handle);
  }

  /** How many timers are waiting (for tests and a clean shutdown check). */
  get pending(): number {
    return this.#timers.size;
  }

  /**
   * Moves the clock to `targetMs`, stopping at each timer due on the way: the clock reads
   * the timer's own time while it runs, then `settle()` is awaited so the work it started
   * (an HTTP request to the emulator) finishes before time moves on. Timers due at the
   * same time run in the order they were set; a timer set by a callback for a time not
   * after `targetMs` runs in the same call.
   */
  async advanceTo(targetMs: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    if (targetMs < this.#now) {
      throw new RangeError('a virtual clock only moves forward');
    }
    for (;;) {
      const next = this.#earliest();
      if (next === undefined || next.at > targetMs) break;
      this.#timers.delete(next.id);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
      await settle();
    }
    this.#now = targetMs;
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    // Map iteration follows insertion, which is id order, so ties keep their set order.
    for (const timer of this.#timers.values()) {
      if (best === undefined || timer.at < best.at) best = timer;
    }
    return best;
  }
}
