/**
 * A binary min-heap of (key, value) pairs: the registry's one schedule of refresh times and
 * its queues ordered by deadline. Pairs of numbers in two plain arrays, not an object per
 * entry, so 100,000 scheduled channels cost two packed arrays.
 *
 * @module
 */

/** A min-heap of numeric keys, each carrying a value (a slot index, an id). */
export class MinHeap<V> {
  readonly #keys: number[] = [];
  readonly #values: V[] = [];

  /** How many entries it holds. */
  get size(): number {
    return this.#keys.length;
  }

  /** The smallest key, or `Infinity` when empty. */
  peekKey(): number {
    return this.#keys.length === 0 ? Number.POSITIVE_INFINITY : this.#keys[0]!;
  }

  /** The value of the smallest key; only when not empty. */
  peekValue(): V | undefined {
    return this.#values[0];
  }

  /** Adds `value` under `key`. Equal keys come out in no particular order. */
  push(key: number, value: V): void {
    const keys = this.#keys;
    const values = this.#values;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  /** Removes and returns the value of the smallest key, `undefined` when empty. */
  pop(): V | undefined {
    const keys = this.#keys;
    const values = this.#values;
    if (keys.length === 0) return undefined;
    const top = values[0];
    const lastKey = keys.pop()!;
    const lastValue = values.pop()!;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
        if (keys[child]! >= lastKey) break;
        keys[i] = keys[child]!;
        values[i] = values[child]!;
        i = child;
      }
      keys[i] = lastKey;
      values[i] = lastValue;
    }
    return top;
  }
}
