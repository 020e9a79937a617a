/**
 * A small seeded PRNG (mulberry32): fast, and good enough to replay fault choices, jitter
 * and test steps exactly from one seed. Not for anything secret: tokens and ids come from
 * the platform's CSPRNG.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random(); // the same first value for seed 42, every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
