/**
 * Checks assertion options once, at construction, into a normalized object. Messages quote
 * the option and its limit but never echo a string value: a channel secret pasted into the
 * wrong option must not end up in a log.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
  DEFAULT_ASSERTION_LIFETIME_SEC,
  MAX_ASSERTION_LIFETIME_SEC,
  MAX_TOKEN_EXP_SEC,
} from '../constants.js';

/** The checked form of {@link AssertionOptions}, minus the key (handled by key.ts). */
export interface NormalizedAssertionOptions {
  readonly channelId: string;
  readonly kid: string;
  readonly tokenExpSec: number | undefined;
  readonly lifetimeSec: number;
  readonly now: () => number;
}

/** What was given instead of a valid value, described without echoing strings. */
function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (typeof value === 'string') {
    return value === '' ? 'an empty string' : `a string of ${value.length} characters`;
  }
  return `a value of type ${typeof value}`;
}

function integerInRange(name: string, value: unknown, max: number, unit: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(
      name,
      `"${name}" option must be an integer number of seconds from 1 to ${max} (${unit}), got ${describe(value)}`,
    );
  }
  return value;
}

/** Checks a `token_exp` value: an integer from 1 to {@link MAX_TOKEN_EXP_SEC}. */
export function checkTokenExpSec(value: unknown): number {
  return integerInRange('tokenExpSec', value, MAX_TOKEN_EXP_SEC, "30 days, LINE's limit");
}

/** Checks an assertion lifetime: an integer from 1 to {@link MAX_ASSERTION_LIFETIME_SEC}. */
export function checkLifetimeSec(value: unknown): number {
  return integerInRange(
    'lifetimeSec',
    value,
    MAX_ASSERTION_LIFETIME_SEC,
    'LINE refuses an assertion that expires more than 30 minutes ahead',
  );
}

/** Checks a LINE channel id: a non-empty string of ASCII digits, as the Console shows it. */
export function checkChannelId(value: unknown, name = 'channelId'): string {
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) {
    const hint = typeof value === 'number' ? ' (pass it as a string, e.g. String(id))' : '';
    throw new InvalidArgumentError(
      name,
      `"${name}" option must be a LINE channel id, a non-empty string of digits as shown in the LINE Developers Console, got ${describe(value)}${hint}`,
    );
  }
  return value;
}

// A kid goes into a JSON header and, on the CLI, into messages; control characters there
// mean a copy-paste accident (a trailing newline), never a real Console kid.
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Checks an assertion key id: the non-blank `kid` the Console answered on registration. */
export function checkKid(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || hasControlCharacter(value)) {
    throw new InvalidArgumentError(
      'kid',
      `"kid" option must be the key id the LINE Developers Console showed when you registered the public key (a non-empty string without control characters), got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Checks every option but the key and fills in the defaults.
 *
 * @throws InvalidArgumentError naming the first bad option.
 */
export function normalizeAssertionOptions(options: unknown): NormalizedAssertionOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      `assertion options must be an object { channelId, kid, privateKey }, got ${describe(options)}`,
    );
  }
  const o = options as Record<string, unknown>;
  const channelId = checkChannelId(o['channelId']);
  const kid = checkKid(o['kid']);
  const tokenExpSec =
    o['tokenExpSec'] === undefined ? undefined : checkTokenExpSec(o['tokenExpSec']);
  const lifetimeSec =
    o['lifetimeSec'] === undefined
      ? DEFAULT_ASSERTION_LIFETIME_SEC
      : checkLifetimeSec(o['lifetimeSec']);
  const now = o['now'] ?? Date.now;
  if (typeof now !== 'function') {
    throw new InvalidArgumentError(
      'now',
      `"now" option must be a function returning epoch milliseconds, got ${describe(now)}`,
    );
  }
  if (o['privateKey'] === undefined || o['privateKey'] === null) {
    throw new InvalidArgumentError(
      'privateKey',
      '"privateKey" option is required: the private JWK (JSON text or object), a PEM text, a CryptoKey, a KeyObject or an imported AssertionKey',
    );
  }
  return { channelId, kid, tokenExpSec, lifetimeSec, now: now as () => number };
}
