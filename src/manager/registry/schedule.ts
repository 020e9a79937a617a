/**
 * The compact engine's one refresh schedule: a heap of (time, slot) entries and one timer
 * for the earliest, instead of a timer per channel. Due slots are handed back a slice at a
 * time, and not at all while the issue queue has plenty waiting.
 *
 * @module
 */
import { scheduleAt } from '../internal/timers.js';
import type { ManagerTimers } from '../types.js';
import { MinHeap } from './heap.js';
import type { TokenTable } from './table.js';

// Due refreshes handed over per turn of the event loop: a sweep of 100,000 due channels
// queues in slices instead of one long task that would stall every request.
const SLICE = 1_024;
// How often the schedule looks again while the issue queue is backlogged, ms.
const BACKLOG_POLL_MS = 50;

/** What the schedule runs on. */
export interface ScheduleDeps {
  readonly table: TokenTable;
  readonly timers: ManagerTimers;
  readonly now: () => number;
  /** Whether the issue queue has plenty waiting: due slots then stay in the schedule. */
  readonly backlogged: () => boolean;
  /** Called for each due slot whose entry is still current. */
  readonly due: (slot: number, now: number) => void;
}

/** One timer for every slot's next refresh. */
export class RefreshSchedule {
  readonly #d: ScheduleDeps;
  readonly #heap = new MinHeap<number>();
  #wakeAt = Number.POSITIVE_INFINITY;
  #cancelWake: (() => void) | undefined;

  constructor(deps: ScheduleDeps) {
    this.#d = deps;
  }

  /** Schedules `slot` at `at`; an earlier entry of the slot becomes stale. */
  at(slot: number, at: number): void {
    this.#d.table.scheduledAt[slot] = at;
    this.#heap.push(at, slot);
    this.#arm(at);
  }

  /** Stops the timer for good. */
  stop(): void {
    this.#cancelWake?.();
    this.#cancelWake = undefined;
    this.#wakeAt = Number.NEGATIVE_INFINITY; // never armed again
  }

  #arm(at: number): void {
    if (!(at < this.#wakeAt)) return;
    this.#cancelWake?.();
    this.#wakeAt = at;
    this.#cancelWake = scheduleAt(this.#d.timers, this.#d.now, at, () => this.#wake());
  }

  /** Hands the due slots over, a slice at a time, then re-arms. */
  #wake(): void {
    this.#wakeAt = Number.POSITIVE_INFINITY;
    this.#cancelWake = undefined;
    const t = this.#d.table;
    const heap = this.#heap;
    const now = this.#d.now();
    // Due refreshes wait here, not in the limiter, while it has plenty queued: a sweep
    // of 100,000 then holds 100,000 heap entries rather than 100,000 pending issues.
    if (this.#d.backlogged()) {
      this.#arm(now + BACKLOG_POLL_MS);
      return;
    }
    for (let n = 0; n < SLICE && heap.peekKey() <= now; n++) {
      const at = heap.peekKey();
      const slot = heap.pop()!;
      if (t.ids[slot] === undefined || t.scheduledAt[slot] !== at) continue; // stale entry
      this.#d.due(slot, now);
    }
    if (heap.size > 0) this.#arm(heap.peekKey());
  }
}
