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
  /** Whether I/O started by a timer is still running; `advance` waits for it. Default: never. */
  busy: () => boolean = () => false;
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
      // Time stands still while a request started by that timer is on the wire.
      while (this.busy()) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        await settle();
      }
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
 * Waits for `promise` while running the clock: whenever nothing is in flight (`busy()`
 * says no HTTP request is pending) and the promise is still waiting, the clock jumps to
 * the next timer. Never jumps during a request: an assertion signed before the jump would
 * arrive expired. For callers that wait through a backoff.
 */
export async function drive<T>(
  clock: FakeClock,
  promise: Promise<T>,
  busy: () => boolean = () => false,
  limitMs = 3_600_000,
): Promise<PromiseSettledResult<T>> {
  let outcome: PromiseSettledResult<T> | undefined;
  const settled = promise.then(
    (value) => (outcome = { status: 'fulfilled', value }),
    (reason: unknown) => (outcome = { status: 'rejected', reason }),
  );
  const end = clock.now() + limitMs;
  const realDeadline = Date.now() + 30_000;
  for (;;) {
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 2))]);
    if (outcome !== undefined) return outcome;
    if (busy()) continue;
    await settle();
    if (outcome !== undefined) return outcome;
    const next = clock.nextTimerAt();
    if (!busy() && next !== undefined && next <= end) {
      await clock.advance(Math.max(0, next - clock.now()));
    } else if (Date.now() > realDeadline) {
      throw new Error('drive(): the promise did not settle');
    }
  }
}

/** A fetch that counts the requests in flight, for {@link drive}. */
export function countingFetch(): { fetch: typeof fetch; busy: () => boolean } {
  let inFlight = 0;
  return {
    busy: () => inFlight > 0,
    fetch: async (input, init) => {
      inFlight++;
      try {
        const res = await fetch(input, init);
        // Buffered here, so the caller's body read cannot outlast the count.
        const body = await res.arrayBuffer();
        return new Response(res.status === 204 || res.status === 304 ? null : body, {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
        });
      } finally {
        inFlight--;
      }
    },
  };
}
