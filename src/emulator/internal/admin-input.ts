/**
 * Checks of what the admin API is given (in process or over HTTP), with the shared
 * validation toolkit: one message format, unknown members refused with did-you-mean. Each
 * refusal is an InvalidArgumentError, which the admin routes answer with HTTP 400.
 *
 * @module
 */
import {
  integerOption,
  invalidArgument,
  invalidOption,
  objectOption,
  rejectUnknownOptions,
} from '../../internal/validate.js';
import { MAX_LONG_LIVED_GRACE_SEC } from './records.js';

/** A `kid` given with `?kid=`: what a JWS header can carry, kept printable and short. */
export const LEGACY_KID_SHAPE = /^[A-Za-z0-9._~:-]{1,128}$/;

/** The JSON body of an admin request: an object (or none) holding only `known` members. */
export function adminBody(
  body: unknown,
  known: readonly string[],
  what: string,
): Record<string, unknown> {
  const b = objectOption('body', body ?? undefined);
  rejectUnknownOptions(b, known, what);
  return b;
}

/** The most the clock moves in one call: 100 years of seconds. [ours] */
export const MAX_ADVANCE_SEC = 3_155_760_000;
/** The clock never passes the end of year 9999: a `Date` header must stay a date. [ours] */
export const MAX_CLOCK_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * The seconds to move the clock by: a finite, non-negative number, at most
 * {@link MAX_ADVANCE_SEC}, keeping the clock at or before {@link MAX_CLOCK_MS}.
 */
export function checkAdvanceSeconds(seconds: unknown, nowMs: number): number {
  if (
    typeof seconds !== 'number' ||
    !Number.isFinite(seconds) ||
    seconds < 0 ||
    seconds > MAX_ADVANCE_SEC
  ) {
    invalidArgument(
      'advanceClock',
      'seconds',
      `a finite, non-negative number of at most ${MAX_ADVANCE_SEC} (100 years)`,
      seconds,
    );
  }
  if (nowMs + seconds * 1000 > MAX_CLOCK_MS) {
    invalidArgument(
      'advanceClock',
      'seconds',
      'a step keeping the clock before the year 10000',
      seconds,
    );
  }
  return seconds;
}

/** A channel to create: the id and secret, each checked (a generated one is always good). */
export function checkChannelInput(id: unknown, secret: unknown): { id: string; secret: string } {
  if (typeof id !== 'string' || !/^[0-9A-Za-z_-]{1,64}$/.test(id)) {
    invalidOption('id', '1 to 64 letters, digits, "_" or "-"', id);
  }
  if (typeof secret !== 'string' || secret.length < 1 || secret.length > 256) {
    invalidOption('secret', 'a string of 1 to 256 characters', secret);
  }
  return { id, secret };
}

/** The kid an older Console key is registered under, when one is given. */
export function checkLegacyKid(kid: unknown): string | undefined {
  if (kid !== undefined && (typeof kid !== 'string' || !LEGACY_KID_SHAPE.test(kid))) {
    invalidOption('kid', '1 to 128 letters, digits or "._~:-" (a Console kid is a UUID)', kid);
  }
  return kid;
}

/** How long the previous long-lived token keeps working, seconds (0: it ends now). */
export function checkGraceSec(graceSec: unknown): number {
  return integerOption('graceSec', graceSec, 0, { min: 0, max: MAX_LONG_LIVED_GRACE_SEC });
}
