/**
 * How `npm start` ends when something goes wrong: one safe line on stderr and an exit
 * code, as pure functions so they are tested without spawning anything.
 *
 * @module
 */
import { LineNetworkError, LineTimeoutError, LineTokenError } from '../errors.js';
import { isConfigurationError } from '../internal/advice.js';
import { causeCode } from '../internal/cause-code.js';

/** The exit codes of `npm start`. */
export const DEMO_EXIT = {
  /** The demo ran to the end, or live mode stopped cleanly on a signal. */
  ok: 0,
  /** A failure at run time: LINE (or the emulator) refused, the network failed, a check failed. */
  failure: 1,
  /** A configuration problem: a missing or malformed LINE_* variable, an unusable key. */
  config: 2,
} as const;

/**
 * Whether an error is the user's configuration to fix (exit 2) rather than a failure at
 * run time (exit 1). A bad key found by the manager while signing still counts.
 */
export function isConfigProblem(error: unknown): boolean {
  return isConfigurationError(error);
}

/** The exit code for an error that stopped the run. */
export function exitCodeFor(error: unknown): number {
  return isConfigProblem(error) ? DEMO_EXIT.config : DEMO_EXIT.failure;
}

/**
 * One line saying what went wrong. Our errors' messages are built to hold no token,
 * secret or key, so they are shown; a foreign error's message might quote its input (a
 * JSON parser quoting a key file), so only its kind is.
 *
 * @example
 * ```ts
 * describeFailure(new InvalidArgumentError('LINE_TOKEN_TYPE', 'LINE_TOKEN_TYPE must be ...'))
 * // 'LINE_TOKEN_TYPE must be ...'
 * ```
 */
export function describeFailure(error: unknown): string {
  if (error instanceof LineNetworkError || error instanceof LineTimeoutError) {
    return `${error.message}${causeCode(error.cause)}`;
  }
  if (error instanceof LineTokenError) return error.message;
  if (error instanceof Error) return `unexpected ${error.name}${causeCode(error)}`;
  return `unexpected failure (${typeof error})`;
}
