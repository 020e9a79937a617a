/**
 * Argument checks for the client's operations. Messages name the parameter and what is
 * wrong with it, never its value: most of these values are secrets.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
  describeValue,
  hasControlCharacter,
  invalidArgument,
  rejectUnknownOptions,
} from '../../internal/validate.js';
import { optionNames } from '../../internal/options-spec.js';
import type { OperationName, RequestOptions } from '../types.js';

// Checked against RequestOptions by the compiler; the hot path reads the one member directly.
const REQUEST_OPTION_NAMES = optionNames<RequestOptions>({ signal: true });

/** Checks that an operation got a params object. */
export function requireParams(value: unknown, operation: OperationName): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(
      'params',
      `${operation}: expected a params object as the first argument (got ${describeValue(value)})`,
    );
  }
  return value as Record<string, unknown>;
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
  if (typeof value !== 'string') invalidArgument(operation, name, 'a string', value);
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
      `${operation}: request options must be an object (got ${describeValue(value)})`,
    );
  }
  rejectUnknownOptions(
    value as Record<string, unknown>,
    REQUEST_OPTION_NAMES,
    `${operation} request`,
  );
  const { signal } = value as RequestOptions;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    invalidArgument(operation, 'signal', 'an AbortSignal', signal);
  }
  return signal;
}
