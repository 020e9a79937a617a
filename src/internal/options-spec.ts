/**
 * One spec per options type: each key of the public interface has exactly one
 * {@link Reader}, holding its check and its default. The compiler checks the spec against
 * the interface ({@link OptionsSpec} maps every key, optional or not, to a reader), so a
 * property added to an interface without a reader fails `npm run typecheck`, and a reader
 * for a key the interface lacks is an excess property. {@link readOptions} does the rest
 * the same way for every part: the plain-object check, the hint for a renamed key, unknown
 * keys with did-you-mean, nested groups with dotted paths, and cross-field rules; and
 * {@link defaultsOf} derives the documented defaults object from the same spec, so a
 * default is written once.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import {
  booleanOption,
  durationOption,
  fractionOption,
  functionOption,
  integerOption,
  MAX_TIMER_MS,
  numberOption,
  objectOption,
  oneOfOption,
  optionsObject,
  rejectUnknownOptions,
  textOption,
  wordOption,
} from './validate.js';

/**
 * Checks one option. `read` gets the raw value (`undefined` when absent) and the option's
 * full path (`retry.limit`), and returns the checked value, the default when absent.
 */
export interface Reader<T> {
  /** The documented default, when the option has a fixed one; {@link defaultsOf} lists it. */
  readonly default?: T;
  /** A nested group's spec: {@link defaultsOf} descends into it. */
  readonly group?: OptionsSpec<object>;
  read(value: unknown, path: string): T;
}

/** A reader with a fixed, documented default: {@link defaultsOf} lists it. */
export type Defaulted<T> = Reader<T> & { readonly default: T };

/** A reader for every key of `O`, optional keys included (`-?`), and for nothing else. */
export type OptionsSpec<O> = { readonly [K in keyof O]-?: Reader<unknown> };

/** What {@link readOptions} returns for a spec: each key's checked value. */
export type ReadOptions<S> = { -readonly [K in keyof S]: S[K] extends Reader<infer T> ? T : never };

/** What {@link defaultsOf} returns: the keys whose reader has a default (groups nested). */
export type DefaultsOf<S> = {
  readonly [
    K in keyof S as S[K] extends { default: unknown } | { group: object } ? K : never
  ]: S[K] extends { group: infer G } ? DefaultsOf<G> : S[K] extends Reader<infer T> ? T : never;
};

/**
 * `true` when `A` and `B` have the same keys: a public defaults type written out for the docs
 * is checked with it against the type {@link defaultsOf} derives, so the two cannot drift.
 */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
  ? true
  : false;

/** How {@link readOptions} reads one options object. */
export interface ReadContext<S> {
  /** What the options configure, for messages: `TokenManager`, `RedisTokenStore`. */
  readonly where: string;
  /**
   * Keys that were renamed, each with its new path and an optional note: the user is told
   * what to write instead of a bare "unknown option".
   */
  readonly moved?: Readonly<
    Record<string, string | { readonly to: string; readonly note: string }>
  >;
  /** What follows a moved key's new path in its message; says the option was renamed by default. */
  readonly movedWhy?: string;
  /** Checks across keys, after each key has passed its own reader. */
  readonly rules?: (read: ReadOptions<S>) => void;
}

/**
 * Checks `input` against `spec`: a plain object (or absent, read as `{}`), no renamed and
 * no unknown key, each key through its reader under its full path, then the cross-field
 * rules. Throws {@link InvalidArgumentError}; never quotes a value that could be a secret.
 *
 * @example
 * ```ts
 * const spec = { timeoutMs: duration(30_000) } satisfies OptionsSpec<{ timeoutMs?: number }>;
 * readOptions(spec, { timeoutMs: 5_000 }, { where: 'Client' }); // { timeoutMs: 5000 }
 * readOptions(spec, { timeoutMS: 5_000 }, { where: 'Client' }); // throws: did you mean "timeoutMs"?
 * ```
 */
export function readOptions<S extends OptionsSpec<object>>(
  spec: S,
  input: unknown,
  context: ReadContext<S>,
): ReadOptions<S> {
  return readGroup(spec, optionsObject(context.where, input), '', context);
}

// Refuses a renamed key (naming its new path) and an unknown one (with did-you-mean).
function checkKeys(
  spec: OptionsSpec<object>,
  options: Record<string, unknown>,
  prefix: string,
  context: Pick<ReadContext<never>, 'where' | 'moved' | 'movedWhy'>,
): void {
  // Most specs rename nothing: then no entries to walk (a one-shot read in a fresh process).
  const moves = context.moved;
  for (const [key, value] of moves === undefined ? [] : Object.entries(options)) {
    const moved = moves?.[key];
    if (moved === undefined || value === undefined) continue;
    const [to, note] = typeof moved === 'string' ? [moved, ''] : [moved.to, ` (${moved.note})`];
    throw new InvalidArgumentError(
      `${prefix}${key}`,
      `"${prefix}${key}" is now "${to}"${note}: ${
        context.movedWhy ?? `the ${context.where} option was renamed (see the CHANGELOG)`
      }`,
    );
  }
  rejectUnknownOptions(options, Object.keys(spec), context.where, prefix);
}

function readGroup<S extends OptionsSpec<object>>(
  spec: S,
  options: Record<string, unknown>,
  prefix: string,
  context: Pick<ReadContext<S>, 'where' | 'moved' | 'movedWhy' | 'rules'>,
): ReadOptions<S> {
  checkKeys(spec, options, prefix, context);
  const read: Record<string, unknown> = {};
  const readers = spec as Record<string, Reader<unknown>>;
  for (const key of Object.keys(readers)) {
    read[key] = readers[key]!.read(options[key], `${prefix}${key}`);
  }
  context.rules?.(read as ReadOptions<S>);
  return read as ReadOptions<S>;
}

/**
 * Checks only the names in `input`: renamed and unknown keys, in groups too (with dotted
 * paths), never the values. For options that are merged under others before they are read
 * (a registry's defaults), where a value may be overridden by each user.
 */
export function checkOptionNames<S extends OptionsSpec<object>>(
  spec: S,
  input: unknown,
  context: Pick<ReadContext<S>, 'where' | 'moved' | 'movedWhy'>,
): void {
  checkNamesIn(spec, optionsObject(context.where, input), '', context);
}

function checkNamesIn(
  spec: OptionsSpec<object>,
  options: Record<string, unknown>,
  prefix: string,
  context: Pick<ReadContext<never>, 'where' | 'moved' | 'movedWhy'>,
): void {
  checkKeys(spec, options, prefix, context);
  for (const [key, reader] of Object.entries(spec) as Array<[string, Reader<unknown>]>) {
    if (reader.group === undefined) continue;
    const path = `${prefix}${key}`;
    checkNamesIn(reader.group, objectOption(path, options[key]), `${path}.`, {
      where: `${context.where} "${path}"`,
    });
  }
}

/**
 * A group of options under one key (`retry: { limit }`): a plain object or absent, its keys
 * read with `spec` under dotted paths (`retry.limit`), then its `rules`. `where` names the
 * group in messages (`TokenManager "retry"`); the group's path when not given.
 */
export function group<S extends OptionsSpec<object>>(
  spec: S,
  options: { readonly where?: string; readonly rules?: (read: ReadOptions<S>) => void } = {},
): Reader<ReadOptions<S>> & { readonly group: S } {
  return {
    group: spec,
    read: (value, path) =>
      readGroup(spec, objectOption(path, value), `${path}.`, {
        where: options.where ?? path,
        ...(options.rules === undefined ? {} : { rules: options.rules }),
      }),
  };
}

/**
 * The defaults object of a spec, frozen all the way down: each key whose reader has a
 * default, and each group with its own defaults.
 */
export function defaultsOf<S extends OptionsSpec<object>>(spec: S): DefaultsOf<S> {
  const out: Record<string, unknown> = {};
  for (const [key, reader] of Object.entries(spec) as Array<[string, Reader<unknown>]>) {
    if (reader.group !== undefined) out[key] = defaultsOf(reader.group);
    else if ('default' in reader) out[key] = deepFreeze(reader.default);
  }
  return Object.freeze(out) as DefaultsOf<S>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** A reader with no fixed default: `read` decides (the default may depend on other keys). */
export function custom<T>(read: (value: unknown, path: string) => T): Reader<T> {
  return { read };
}

/** A reader with a fixed, documented default and its own check. */
export function withDefault<T>(
  fallback: T,
  read: (value: unknown, path: string) => T,
): Defaulted<T> {
  return { default: fallback, read };
}

/** A whole number of milliseconds from `min` (1) to `max` (the longest timer). */
export function duration(fallback: number, min = 1, max = MAX_TIMER_MS): Defaulted<number> {
  return withDefault(fallback, (v, path) => durationOption(path, v, fallback, min, max));
}

/** An integer in `[min, max]`. */
export function integer(fallback: number, min: number, max: number): Defaulted<number> {
  return withDefault(fallback, (v, path) => integerOption(path, v, fallback, { min, max }));
}

/** A number in a range, fractions allowed (see `numberOption`). */
export function number(
  fallback: number,
  range: { min: number; max: number; unit?: string },
): Defaulted<number> {
  return withDefault(fallback, (v, path) => numberOption(path, v, fallback, range));
}

/** A fraction in `(0, 1]`, or `[0, 1]` with `allowZero`. */
export function fraction(fallback: number, allowZero: boolean): Defaulted<number> {
  return withDefault(fallback, (v, path) => fractionOption(path, v, fallback, allowZero));
}

/** `true` or `false`. */
export function boolean(fallback: boolean): Defaulted<boolean> {
  return withDefault(fallback, (v, path) => booleanOption(path, v, fallback));
}

/** A boolean with no fixed default: `undefined` when absent. */
export function optionalBoolean(): Reader<boolean | undefined> {
  return custom((v, path) => (v === undefined ? undefined : booleanOption(path, v, false)));
}

/** A function; `fallback` (not documented as a default) when absent. */
export function fn<T>(fallback: T): Reader<T> {
  return custom((v, path) => functionOption(path, v, fallback));
}

/** A non-empty string without whitespace (ids, prefixes, host names). */
export function word(fallback: string): Defaulted<string> {
  return withDefault(fallback, (v, path) => wordOption(path, v, fallback));
}

/** A non-empty string without control characters (headers, labels). */
export function text(fallback: string): Defaulted<string> {
  return withDefault(fallback, (v, path) => textOption(path, v, fallback));
}

/** One of `allowed`. */
export function oneOf<T extends string>(allowed: readonly T[], fallback: T): Defaulted<T> {
  return withDefault(fallback, (v, path) => oneOfOption(path, v, allowed, fallback));
}

/** Any value, unchecked here: checked where it is used (a client, a store, a key). */
export function passThrough<T = unknown>(): Reader<T | undefined> {
  return custom((v) => v as T | undefined);
}

/**
 * The keys of `O` as a list, from a record the compiler checks holds every key of `O`
 * (optional ones too) and no other: for options read by hand, where a spec's readers do not
 * fit (a per-call hot path, a nested wire format), so the key list still cannot drift from
 * the type.
 *
 * @example
 * ```ts
 * const NAMES = optionNames<{ signal?: AbortSignal }>({ signal: true }); // ['signal']
 * ```
 */
export function optionNames<O>(keys: { readonly [K in keyof O]-?: true }): readonly string[] {
  return Object.freeze(Object.keys(keys));
}
