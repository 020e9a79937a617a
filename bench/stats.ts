// What every bench prints: the median of per-round ratios and their range. Ratios of two
// sides measured side by side in one round, because the machine is shared: load from other
// processes changes slowly compared with one round, so it hits both sides of a round alike.

/** The median (upper median for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** [lowest, highest]. */
export function range(values: readonly number[]): [number, number] {
  return [Math.min(...values), Math.max(...values)];
}

/** "1.02 (range 0.95–1.10, 9 rounds)  goal <= 1: met" */
export function summary(values: readonly number[], goal?: number, higherIsBetter = false): string {
  const [lo, hi] = range(values);
  let out = `${median(values).toFixed(2)} (range ${lo.toFixed(2)}–${hi.toFixed(2)}, ${values.length} rounds)`;
  if (goal !== undefined) {
    const met = higherIsBetter ? median(values) >= goal : median(values) <= goal;
    out += `  goal ${higherIsBetter ? '>=' : '<='} ${goal}: ${met ? 'met' : 'NOT met'}`;
  }
  return out;
}
