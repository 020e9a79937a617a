// A virtual clock with timers, shared by the manager, its stores and (in the integration
// tests) the emulator, so token lifetimes of days pass in milliseconds of real time.
import type { ManagerTimers } from '../../../src/manager/types.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
}

/** Lets pending promise chains and I/O callbacks run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements ManagerTimers {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();
  /** Every delay handed to setTimeout, in order, so tests can assert on backoff without sleeping. */
  readonly delays: number[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  readonly now = (): number => this.#now;

  readonly setTimeout = (callback: () => void, delayMs: number): unknown => {
    const seq = ++this.#seq;
    this.delays.push(delayMs);
    this.#timers.set(seq, { at: this.#now + Math.max(0, delayMs), seq, callback });
    return seq;
  };

  readonly clearTimeout = (handle: unknown): void => {
    this.#timers.delete(handle as number);
  };

  /** Timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** The earliest pending timer's time, if any. */
  nextTimerAt(): number | undefined {
    let min: number | undefined;
    for (const t of this.#timers.values()) if (min === undefined || t.at < min) min = t.at;
    return min;
  }

  /** Moves time forward by `ms`, firing due timers in order and letting their work settle. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.#timers.values()) {
        if (
          t.at <= target &&
          (next === undefined || t.at < next.at || (t.at === next.at && t.seq < next.seq))
        ) {
          next = t;
        }
      }
      if (next === undefined) break;
      this.#timers.delete(next.seq);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  /** Sets the time without firing anything (a process that slept through its timers). */
  jump(ms: number): void {
    this.#now += ms;
  }
}

/**
 * Runs the clock from timer to timer until `promise` settles (or `limitMs` of virtual time
 * passed), then returns its outcome. For callers that wait through a backoff.
 */
export async function drive<T>(
  clock: FakeClock,
  promise: Promise<T>,
  limitMs = 3_600_000,
): Promise<PromiseSettledResult<T>> {
  let outcome: PromiseSettledResult<T> | undefined;
  promise.then(
    (value) => (outcome = { status: 'fulfilled', value }),
    (reason: unknown) => (outcome = { status: 'rejected', reason }),
  );
  const end = clock.now() + limitMs;
  await settle();
  while (outcome === undefined && clock.now() < end) {
    const next = clock.nextTimerAt();
    if (next === undefined) {
      await settle(20);
      if (outcome === undefined && clock.nextTimerAt() === undefined) break;
      continue;
    }
    await clock.advance(Math.max(0, Math.min(next, end) - clock.now()));
  }
  if (outcome === undefined) throw new Error('drive(): the promise did not settle');
  return outcome;
}
