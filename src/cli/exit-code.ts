/**
 * Exit codes and the one-line error text, as pure functions of a command's outcome so
 * they are tested without spawning anything.
 *
 * @module
 */
import {
  LineApiError,
  LineNetworkError,
  LineTimeoutError,
  LineTokenError,
  TokenStoreError,
  TokenUnavailableError,
} from '../errors.js';
import { adviceFor, isConfigurationError } from '../internal/advice.js';
import { causeCode } from '../internal/cause-code.js';
import type { CommandOutput } from './types.js';

/** The exit codes of `line-token`. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** `verify`: LINE says the token is invalid, expired or revoked. */
  invalidToken: 1,
  /** Usage or configuration: unknown flag, missing credential, bad key file, bad number. */
  usage: 2,
  /** The LINE API (or the network to it) failed. */
  failure: 3,
  /** Interrupted by SIGINT/SIGTERM before it finished (128 + SIGINT, as shells do). */
  interrupted: 130,
} as const;

/** One of {@link EXIT}'s values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** How a command ended: with an output, or with an error. */
export type Outcome =
  | { output: Pick<CommandOutput, 'outcome'>; error?: undefined }
  | { error: unknown; interrupted?: boolean };

/**
 * The exit code for an outcome.
 *
 * @example
 * ```ts
 * exitCodeFor({ error: new InvalidArgumentError('--kid', 'missing') }) // 2
 * ```
 */
export function exitCodeFor(outcome: Outcome): ExitCode {
  if (outcome.error === undefined && 'output' in outcome) {
    return outcome.output.outcome === 'invalid' ? EXIT.invalidToken : EXIT.ok;
  }
  if ('interrupted' in outcome && outcome.interrupted === true) return EXIT.interrupted;
  const { error } = outcome;
  // The manager wraps what stopped it; a bad key or option there is still the user's to fix.
  if (isConfigurationError(error)) return EXIT.usage;
  // A store we cannot use is the user's configuration (path, permissions), not LINE.
  if (error instanceof TokenStoreError) return EXIT.usage;
  return EXIT.failure;
}

// Library option names as CLI users know them: a message about "channelId" option should
// send a person to --channel-id.
const FLAG_NAMES: Record<string, string> = {
  channelId: '--channel-id',
  channelSecret: '--channel-secret',
  kid: '--kid',
  privateKey: '--private-key',
  tokenExpSec: '--token-exp',
  baseUrl: '--base-url',
  timeoutMs: '--timeout',
  accessToken: 'TOKEN',
};

/** `message` with library option names (`"channelId" option`) turned into CLI flags. */
export function withFlagNames(message: string): string {
  // Not a JSON member name (`{"privateKey": {...}}` in a message showing a shape).
  return message.replace(
    /"(\w+)"( option)?(?!\s*:)/g,
    (whole, name: string) => FLAG_NAMES[name] ?? whole,
  );
}

/** An error as a person (and `--json`) sees it. */
export interface ErrorReport {
  /** The error's literal code (`ERR_LINE_API`...), or `ERR_UNEXPECTED` for a bug. */
  code: string;
  /** What went wrong, one line, no secret. */
  message: string;
  /** What to do about it, when we know. */
  hint: string | undefined;
  /** LINE's `x-line-request-id`, to quote when asking LINE for support. */
  requestId: string | undefined;
}

/**
 * The report for an error: what went wrong and, where we know it, what to do. Built only
 * from our errors' messages and LINE's answers, which hold no secret; an unknown error
 * shows its kind only, never its message or stack.
 */
export function explainError(error: unknown, context: { baseUrl?: string } = {}): ErrorReport {
  const report = (message: string, hint?: string, requestId?: string): ErrorReport => ({
    code: error instanceof LineTokenError ? error.code : 'ERR_UNEXPECTED',
    message: withFlagNames(message),
    hint,
    requestId,
  });
  if (error instanceof LineApiError) {
    return report(error.message, adviceFor(error)?.cliFix, error.requestId);
  }
  if (error instanceof TokenUnavailableError) {
    // The manager's messages already quote the failure behind them; say it once.
    const cause = error.cause instanceof LineTokenError ? error.cause.message : undefined;
    const message =
      cause === undefined || error.message.includes(cause)
        ? error.message
        : `${error.message}: ${cause}`;
    const requestId = error.cause instanceof LineApiError ? error.cause.requestId : undefined;
    return report(message, undefined, requestId);
  }
  if (error instanceof LineNetworkError || error instanceof LineTimeoutError) {
    // Saying where we tried catches a mistyped --base-url at a glance.
    const where = context.baseUrl !== undefined ? ` at ${context.baseUrl}` : '';
    const hint = adviceFor(error)?.cliFix;
    return report(`${error.message}${where}${causeCode(error.cause, error.message)}`, hint);
  }
  if (error instanceof LineTokenError) {
    return report(`${error.message}${causeCode(error.cause, error.message)}`);
  }
  // A foreign error's message may quote its input (JSON.parse does), which could be a
  // key: show its kind only; LINE_TOKEN_DEBUG=1 prints the redacted error for a bug report.
  const kind = error instanceof Error ? `${error.name}${causeCode(error)}` : typeof error;
  return report(
    `unexpected error (${kind})`,
    'rerun with LINE_TOKEN_DEBUG=1 to see it, and please report it',
  );
}

/**
 * The text after `line-token: ` for an error: {@link explainError}'s message, its hint in
 * parentheses and LINE's request id.
 */
export function describeError(error: unknown, context: { baseUrl?: string } = {}): string {
  const { message, hint, requestId } = explainError(error, context);
  return [message, hint && ` (${hint})`, requestId && ` [request id ${requestId}]`]
    .filter(Boolean)
    .join('');
}
