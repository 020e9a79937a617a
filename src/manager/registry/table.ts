/**
 * The compact token table of the registry: one slot per channel in parallel arrays (typed
 * arrays for the numbers), instead of a manager object graph per channel, so an idle
 * channel costs its id, its token, its credentials and a few bytes of numbers.
 *
 * @module
 */
import type { TokenStrategy } from '../types.js';

const INITIAL_CAPACITY = 64;
/** `used` bit: used since the eviction sweep last passed. */
export const RECENT = 1;
/** `used` bit: used since the token was last refreshed. */
export const SINCE_REFRESH = 2;
/** What a use sets. */
export const USED = RECENT | SINCE_REFRESH;

function grown<T extends Float64Array | Uint8Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}

/** Channels by slot. A slot is reused after its channel is evicted. */
export class TokenTable {
  readonly index = new Map<string, number>();
  readonly ids: Array<string | undefined> = [];
  readonly tokens: Array<string | undefined> = [];
  /** Credentials; `undefined` once LINE refused them, so the next use loads them again. */
  readonly strategies: Array<TokenStrategy | undefined> = [];
  /** The last moment the slot's token may be handed out, epoch ms (0: no token). */
  serveUntil = new Float64Array(INITIAL_CAPACITY);
  /** When the slot's token is to be replaced, epoch ms. */
  refreshAt = new Float64Array(INITIAL_CAPACITY);
  /** The refresh time the schedule holds for the slot; older heap entries are stale. */
  scheduledAt = new Float64Array(INITIAL_CAPACITY);
  /**
   * Set to {@link USED} by each use. Bit 1 ({@link RECENT}) is cleared by the eviction
   * sweep (second chance); bit 2 ({@link SINCE_REFRESH}) by each refresh, so a channel
   * nobody asked for since its last token is not refreshed again.
   */
  used = new Uint8Array(INITIAL_CAPACITY);
  /** Transient failures in a row (saturating). */
  failures = new Uint8Array(INITIAL_CAPACITY);
  readonly #free: number[] = [];
  #hand = 0;

  /** How many channels it holds. */
  get size(): number {
    return this.index.size;
  }

  /** The slot of a new channel `id`, reusing an evicted one's. */
  add(id: string, strategy: TokenStrategy): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.ids.length;
      this.ids.push(undefined);
      this.tokens.push(undefined);
      this.strategies.push(undefined);
      if (slot >= this.serveUntil.length) this.#grow(this.serveUntil.length * 2);
    }
    this.index.set(id, slot);
    this.ids[slot] = id;
    this.strategies[slot] = strategy;
    this.tokens[slot] = undefined;
    this.serveUntil[slot] = 0;
    this.refreshAt[slot] = 0;
    this.scheduledAt[slot] = 0;
    this.used[slot] = USED;
    this.failures[slot] = 0;
    return slot;
  }

  /** Frees `slot` for another channel. */
  remove(slot: number): void {
    const id = this.ids[slot];
    if (id === undefined) return;
    this.index.delete(id);
    this.ids[slot] = undefined;
    this.tokens[slot] = undefined;
    this.strategies[slot] = undefined;
    this.serveUntil[slot] = 0;
    this.scheduledAt[slot] = 0;
    this.#free.push(slot);
  }

  /**
   * The least recently used slot by the clock (second-chance) sweep: slots used since the
   * hand last passed get their bit cleared and are skipped once; `busy` slots are skipped.
   * Costs one byte per channel instead of relinking a list on every `getToken()`.
   */
  victim(busy: (slot: number) => boolean): number | undefined {
    const n = this.ids.length;
    for (let step = 0; step < 2 * n + 1; step++) {
      const slot = this.#hand;
      this.#hand = (this.#hand + 1) % n;
      if (this.ids[slot] === undefined || busy(slot)) continue;
      if ((this.used[slot]! & RECENT) !== 0) {
        this.used[slot] = this.used[slot]! & ~RECENT;
        continue;
      }
      return slot;
    }
    return undefined;
  }

  /** How many channels' tokens are fresh, due for refresh, or expired (none) at `now`. */
  tally(now: number): { fresh: number; refreshDue: number; expired: number } {
    let fresh = 0;
    let refreshDue = 0;
    let expired = 0;
    for (const slot of this.index.values()) {
      if (!(this.serveUntil[slot]! > now)) expired++;
      else if (this.refreshAt[slot]! > now) fresh++;
      else refreshDue++;
    }
    return { fresh, refreshDue, expired };
  }

  #grow(capacity: number): void {
    this.serveUntil = grown(this.serveUntil, capacity);
    this.refreshAt = grown(this.refreshAt, capacity);
    this.scheduledAt = grown(this.scheduledAt, capacity);
    this.used = grown(this.used, capacity);
    this.failures = grown(this.failures, capacity);
  }
}
