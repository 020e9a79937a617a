/**
 * The checks of single assertion values that other parts share (the CLI, `diagnose()`,
 * the environment reader): a channel id, a key id, a token lifetime, an assertion lifetime.
 * Messages quote the option and its limit, never a string that could be a secret.
 *
 * @module
 */
import { hasControlCharacter, invalidOption } from '../internal/validate.js';
import { MAX_ASSERTION_LIFETIME_SEC, MAX_TOKEN_EXP_SEC } from './constants.js';

function secondsInRange(name: string, value: unknown, max: number, why: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    invalidOption(name, `an integer number of seconds from 1 to ${max} (${why})`, value);
  }
  return value;
}

/** Checks a `token_exp` value: an integer from 1 to {@link MAX_TOKEN_EXP_SEC}. */
export function checkTokenExpSec(value: unknown): number {
  return secondsInRange('tokenExpSec', value, MAX_TOKEN_EXP_SEC, "30 days, LINE's limit");
}

/** Checks an assertion lifetime: an integer from 1 to {@link MAX_ASSERTION_LIFETIME_SEC}. */
export function checkLifetimeSec(value: unknown): number {
  return secondsInRange(
    'lifetimeSec',
    value,
    MAX_ASSERTION_LIFETIME_SEC,
    'LINE refuses an assertion that expires more than 30 minutes ahead',
  );
}

/** Checks a LINE channel id: a non-empty string of ASCII digits, as the Console shows it. */
export function checkChannelId(value: unknown, name = 'channelId'): string {
  if (typeof value !== 'string' || !isDigits(value)) {
    invalidOption(
      name,
      'a LINE channel id, a non-empty string of digits as shown in the LINE Developers Console',
      value,
      typeof value === 'number' ? 'pass it as a string, e.g. String(id)' : undefined,
    );
  }
  return value;
}

// A loop, not /^[0-9]+$/: a regular expression is compiled on its first use, which costs a
// fresh process signing one assertion more than the whole check.
function isDigits(text: string): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x30 || code > 0x39) return false;
  }
  return true;
}

/** Checks an assertion key id: the non-blank `kid` the Console answered on registration. */
export function checkKid(value: unknown): string {
  // A kid goes into a JSON header and, on the CLI, into messages; control characters there
  // mean a copy-paste accident (a trailing newline), never a real Console kid.
  if (typeof value !== 'string' || value.trim() === '' || hasControlCharacter(value)) {
    invalidOption(
      'kid',
      'the key id the LINE Developers Console showed when you registered the public key (a non-empty string without control characters)',
      value,
    );
  }
  return value;
}
