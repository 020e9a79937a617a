// The type tests' helpers, in the style of jose's test-d/: `assertType<Equal<A, B>>()`
// compiles only when A and B are the same type, and `// @ts-expect-error` marks what must not
// compile (tsc fails on a marker whose line compiles, so a loosened type is caught too).

/** Whether `A` and `B` are the same type (not merely assignable either way). */
export type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when its type argument is `true`. */
export function assertType<_Check extends true>(): void {}
