/**
 * The one validation toolkit of every part (client, assertions, manager, stores, emulator,
 * CLI): typed readers for options and arguments that throw an {@link InvalidArgumentError}
 * in one format,
 *
 *     "timeoutMs" option must be a whole number of milliseconds from 1 to 2147483647 (got the string "30000")
 *
 * naming the option by its full path (`retry.limit`) and describing the bad value without
 * ever quoting a secret (see {@link describeValue}); an argument of a call reads
 * `issueV21: "assertion" must be a string (got 42)` ({@link invalidArgument}), and a
 * misspelt option `"retry.limt" is not a retry option; did you mean "retry.limit"?`.
 * Every refusal is an InvalidArgumentError, which is also a `TypeError`.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { closest } from './suggest.js';

/**
 * The longest delay `setTimeout` takes, ms (a signed 32-bit integer, about 24.8 days): a
 * larger one fires at once, so every duration option that feeds a timer stops here.
 */
export const MAX_TIMER_MS = 2_147_483_647;

// Strings are quoted only when they cannot be a secret: a number typed as text (the usual
// mistake with environment variables) is shown so the user sees what went wrong.
const NUMERIC_TEXT = /^[-+]?\d{1,15}(?:\.\d{1,6})?$/;

/**
 * A safe description of a bad value for an error message. Numbers, booleans, `null` and
 * `undefined` are shown; a string only when it is a short number typed as text (it might
 * otherwise be a token, a secret or a key given in the wrong place), else by its kind.
 *
 * @example
 * ```ts
 * describeValue(1.5)      // '1.5'
 * describeValue('30000')  // 'the string "30000"'
 * describeValue('s3cret') // 'a string'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'string':
      if (value === '') return 'an empty string';
      return NUMERIC_TEXT.test(value) ? `the string "${value}"` : 'a string';
    case 'undefined':
      return 'undefined';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * Throws the toolkit's error: `"<name>" option must be <expectation> (got <value>)`, then
 * `; <hint>` when there is one. `expectation` reads after "must be", e.g. `a positive integer`.
 */
export function invalidOption(
  name: string,
  expectation: string,
  value: unknown,
  hint?: string,
): never {
  throw new InvalidArgumentError(
    name,
    `"${name}" option must be ${expectation} (got ${describeValue(value)})${hint ? `; ${hint}` : ''}`,
  );
}

/**
 * Throws the toolkit's error for an argument of a call rather than an option:
 * `<where>: "<name>" must be <expectation> (got <value>)`, e.g.
 * `issueV21: "assertion" must be a string (got 42)`.
 */
export function invalidArgument(
  where: string,
  name: string,
  expectation: string,
  value: unknown,
): never {
  throw new InvalidArgumentError(
    name,
    `${where}: "${name}" must be ${expectation} (got ${describeValue(value)})`,
  );
}

/**
 * The options object of `where` (a class or function): a plain object, or `{}` when
 * absent. The error's argument is `options`.
 */
export function optionsObject(where: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    throw new InvalidArgumentError(
      'options',
      `${where} options must be an object (got ${describeValue(value)})`,
    );
  }
  return value;
}

/**
 * A number option (fractions allowed) from `min` up to `max`, or `fallback` when absent.
 * `Infinity` passes only when `max` is `Infinity` (a cap that may be "no limit"); `NaN` never;
 * `Number.MAX_VALUE` as `max` means any finite number.
 * `unit` names what the number counts, for the message (`milliseconds`).
 */
export function numberOption(
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max: number; unit?: string },
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= range.min && value <= range.max)) {
    const what = `number${range.unit ? ` of ${range.unit}` : ''}`;
    const unbounded = range.max === Infinity || range.max === Number.MAX_VALUE;
    const expectation = !unbounded
      ? `a ${what} from ${range.min} to ${range.max}`
      : `${range.min === 0 ? `a non-negative ${what}` : `a ${what} from ${range.min} up`}${
          range.max === Infinity ? ' (or Infinity)' : ''
        }`;
    invalidOption(name, expectation, value);
  }
  return value;
}

/** A non-empty string option without control characters (a header, a label), or `fallback`. */
export function textOption(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '' || hasControlCharacter(value)) {
    invalidOption(name, 'a non-empty string without control characters', value);
  }
  return value;
}

/** Whether `text` holds a C0 control character or DEL, which no header or credential may hold. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** An integer option in `[min, max]`, or `fallback` when absent. */
export function integerOption(
  name: string,
  value: unknown,
  fallback: number,
  range: { min: number; max: number },
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < range.min ||
    value > range.max
  ) {
    invalidOption(name, `an integer from ${range.min} to ${range.max}`, value);
  }
  return value;
}

/**
 * A duration option in whole milliseconds, from `min` (default 1) to {@link MAX_TIMER_MS},
 * or `fallback` when absent.
 */
export function durationOption(
  name: string,
  value: unknown,
  fallback: number,
  min = 1,
  max = MAX_TIMER_MS,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    invalidOption(name, `a whole number of milliseconds from ${min} to ${max}`, value);
  }
  return value;
}

/** A fraction option in `(0, 1]`, or `[0, 1]` with `allowZero`, or `fallback` when absent. */
export function fractionOption(
  name: string,
  value: unknown,
  fallback: number,
  allowZero: boolean,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(allowZero ? value >= 0 : value > 0) || value > 1) {
    invalidOption(name, `a number ${allowZero ? 'from 0' : 'above 0 and up'} to 1`, value);
  }
  return value;
}

/** A boolean option, or `fallback` when absent. */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalidOption(name, 'true or false', value);
  return value;
}

/** A function option, or `fallback` when absent. */
export function functionOption<T>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') invalidOption(name, 'a function', value);
  return value as T;
}

/** A non-empty string option without whitespace (ids, prefixes, URLs), or `fallback`. */
export function wordOption(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '' || /\s/.test(value)) {
    invalidOption(name, 'a non-empty string without whitespace', value);
  }
  return value;
}

/** One of `allowed`, or `fallback` when absent. */
export function oneOfOption<T extends string>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    invalidOption(name, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, value);
  }
  return value as T;
}

/**
 * An options object (or a group of options such as `retry`): a plain object, or `{}` when
 * absent. `name` is the group's path, e.g. `retry`, or the thing configured, e.g.
 * `TokenManager`.
 */
export function objectOption(name: string, value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) invalidOption(name, 'an object', value);
  return value;
}

// What both readers accept: an object that is not null and not an array.
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Refuses keys of `options` that are not in `known`, naming the closest known one: a
 * misspelt option silently falling back to its default is the bug this prevents.
 *
 * @param where - What the options configure, for the message: `TokenManager`, `retry`.
 * @param prefix - The path of the group, prepended to the key in the error's `argument`
 *   (`retry.` gives `retry.limt`); empty for top-level options.
 */
export function rejectUnknownOptions(
  options: Record<string, unknown>,
  known: readonly string[],
  where: string,
  prefix = '',
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key) || options[key] === undefined) continue;
    const guess = closest(key, known);
    throw new InvalidArgumentError(
      `${prefix}${key}`,
      `"${prefix}${key}" is not ${/^[aeiou]/i.test(where) ? 'an' : 'a'} ${where} option; ${
        guess !== undefined ? `did you mean "${prefix}${guess}"?` : `known: ${known.join(', ')}`
      }`,
    );
  }
}
