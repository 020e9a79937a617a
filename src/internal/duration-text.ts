/**
 * Durations for people: the largest whole unit, rounded down (`30 days`, `1 minute`).
 * Shared by the CLI and diagnose(), so both describe a token's life the same way.
 *
 * @module
 */

const UNITS: ReadonlyArray<readonly [seconds: number, name: string]> = [
  [86_400, 'day'],
  [3_600, 'hour'],
  [60, 'minute'],
  [1, 'second'],
];

/** `seconds` (a non-negative count) in its largest whole unit, e.g. `2 hours`. */
export function durationText(seconds: number): string {
  const [size, name] = UNITS.find(([s]) => seconds >= s) ?? [1, 'second'];
  const n = Math.floor(seconds / size);
  return `${n} ${name}${n === 1 ? '' : 's'}`;
}
