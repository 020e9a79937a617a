/**
 * Argument checks for the client's operations. Messages name the parameter and what is
 * wrong with it, never its value: most of these values are secrets.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import type { OperationName, RequestOptions } from '../types.js';

/**
 * A safe description of a bad value for an error message: numbers and booleans are shown
 * (they are never secrets), strings and objects only by their kind.
 */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
    case 'boolean':
      return String(value);
    case 'string':
      return value === '' ? 'an empty string' : 'a string';
    case 'undefined':
      return 'undefined';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** Checks that an operation got a params object. */
export function requireParams(value: unknown, operation: OperationName): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(
      'params',
      `${operation}: expected a params object as the first argument (got ${describeType(value)})`,
    );
  }
  return value as Record<string, unknown>;
}

/** Whether `text` holds a C0 control character or DEL, which no header or credential may hold. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

// Whitespace is never part of an id, secret, token or JWS; it usually is a newline copied
// along from a file or the Console, which LINE would answer with a puzzling 400.
function hasWhitespaceOrControl(text: string): boolean {
  return /\s/.test(text) || hasControlCharacter(text);
}

/** Returns `params[name]` if it is a usable credential string, else throws quoting `name`. */
export function requireString(
  params: Record<string, unknown>,
  name: string,
  operation: OperationName,
): string {
  const value = params[name];
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(
      name,
      `${operation}: "${name}" must be a string (got ${describeType(value)})`,
    );
  }
  if (value === '') {
    throw new InvalidArgumentError(name, `${operation}: "${name}" must not be empty`);
  }
  if (hasWhitespaceOrControl(value)) {
    throw new InvalidArgumentError(
      name,
      `${operation}: "${name}" must not contain whitespace or control characters (a copied trailing newline?)`,
    );
  }
  return value;
}

/** Checks the per-request options; returns the caller's signal, if any. */
export function requireRequestOptions(
  value: unknown,
  operation: OperationName,
): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(
      'options',
      `${operation}: request options must be an object (got ${describeType(value)})`,
    );
  }
  const { signal } = value as RequestOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError(
      'signal',
      `${operation}: "signal" must be an AbortSignal (got ${describeType(signal)})`,
    );
  }
  return signal;
}
