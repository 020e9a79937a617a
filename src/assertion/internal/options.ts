/**
 * Checks assertion options once, at construction, into a normalized object, with the
 * shared toolkit (src/internal/validate.ts): its messages quote the option and its limit
 * but never a string that could be a secret (a channel secret pasted into the wrong option
 * must not end up in a log).
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
  functionOption,
  hasControlCharacter,
  invalidOption,
  optionsObject,
  rejectUnknownOptions,
} from '../../internal/validate.js';
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

const ASSERTION_KEYS = ['channelId', 'kid', 'privateKey', 'tokenExpSec', 'lifetimeSec', 'now'];

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
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) {
    invalidOption(
      name,
      'a LINE channel id, a non-empty string of digits as shown in the LINE Developers Console',
      value,
      typeof value === 'number' ? 'pass it as a string, e.g. String(id)' : undefined,
    );
  }
  return value;
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

/**
 * Checks every option but the key and fills in the defaults.
 *
 * @throws InvalidArgumentError naming the first bad option.
 */
export function normalizeAssertionOptions(options: unknown): NormalizedAssertionOptions {
  if (options === undefined) optionsObject('assertion', null);
  const o = optionsObject('assertion', options);
  // The other members of a v2.1 or stateless TokenStrategy are ignored, not refused: a
  // strategy may be passed as it is to sign with (`createAssertionSigner(strategy)`).
  const { type: _type, channelSecret: _secret, ...own } = o;
  rejectUnknownOptions(own, ASSERTION_KEYS, 'assertion');
  const channelId = checkChannelId(o['channelId']);
  const kid = checkKid(o['kid']);
  const tokenExpSec =
    o['tokenExpSec'] === undefined ? undefined : checkTokenExpSec(o['tokenExpSec']);
  const lifetimeSec =
    o['lifetimeSec'] === undefined
      ? DEFAULT_ASSERTION_LIFETIME_SEC
      : checkLifetimeSec(o['lifetimeSec']);
  const now = functionOption<() => number>('now', o['now'], Date.now);
  if (o['privateKey'] === undefined || o['privateKey'] === null) {
    throw new InvalidArgumentError(
      'privateKey',
      '"privateKey" option is required: the private JWK (JSON text or object), a PEM text, a CryptoKey, a KeyObject or an imported AssertionKey',
    );
  }
  return { channelId, kid, tokenExpSec, lifetimeSec, now };
}
