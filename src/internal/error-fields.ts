/**
 * What the error classes (`src/errors.ts`) build their messages and fields from, kept
 * apart so that file stays about the classes: text from values of any type, and LINE's
 * request id only in LINE's shape.
 *
 * Core module: no `node:` import.
 *
 * @module
 */
import { LINE_REQUEST_ID_PATTERN } from '../line/facts.js';

/**
 * `value` as text for a message: a string as is, a primitive by `String`, anything else by
 * its kind. An error built with the wrong arguments must still be built: throwing a
 * TypeError (a Symbol, an object whose `toString` is not a function) would hide the error
 * it was meant to report.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || ['undefined', 'number', 'boolean', 'bigint'].includes(typeof value)) {
    return String(value);
  }
  return `(${typeof value})`;
}

/** `fields` when it is an object, else none: see {@link textOf}. */
export function fieldsOf<T extends object>(fields: T): Partial<T> {
  return typeof fields === 'object' && fields !== null ? fields : {};
}

/**
 * `value` when it has the shape of LINE's request id, else `undefined`: a header a server
 * echoed from the request must not carry a secret into `requestId`, `toJSON()` or
 * `util.inspect` (see {@link LINE_REQUEST_ID_PATTERN}).
 */
export function lineRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && LINE_REQUEST_ID_PATTERN.test(value) ? value : undefined;
}

// The package ships an ESM and a CommonJS build, so an app can hold two copies of every class
// below (the dual-package hazard). Each error carries the names of its classes under a key in
// the global symbol registry, and `instanceof` accepts an error of either copy by that brand.
const classNamesKey = Symbol.for('line-token.error.classes');

/** Records the names of `target`'s classes on `error`, under a key of the global registry. */
export function brandWithClassNames(error: Error, target: unknown): void {
  const classNames: string[] = [];
  for (let c: unknown = target; typeof c === 'function' && c !== Error;) {
    classNames.push(c.name);
    c = Object.getPrototypeOf(c);
  }
  Object.defineProperty(error, classNamesKey, { value: classNames });
}

/** Whether `value` is an error of a class named `name`, from either copy of the package. */
export function hasClassBrand(value: unknown, name: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const classNames = (value as { [classNamesKey]?: unknown })[classNamesKey];
  return Array.isArray(classNames) && classNames.includes(name);
}
