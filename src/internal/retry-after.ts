/**
 * Parses an HTTP `Retry-After` header (RFC 9110 §10.2.3) into a wait in milliseconds.
 * Pure: the current time is a parameter, so tests need no clock.
 *
 * @module
 */

// RFC 9110 §5.6.7 lists three date formats a recipient must accept: IMF-fixdate, the
// obsolete RFC 850 form and asctime. Anything else is refused rather than handed to
// Date.parse, which would happily read "1 2 3" as a date.
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;
// delay-seconds = 1*DIGIT; a fraction or a sign makes the header invalid.
const DELAY_SECONDS = /^\d+$/;

/**
 * The wait a `Retry-After` value asks for, in milliseconds, or `undefined` when the
 * header is absent or malformed (the caller then falls back to its own backoff).
 * A date in the past means "now" (0).
 *
 * @param value - The raw header value, or `null` when absent.
 * @param nowMs - The current time, epoch milliseconds.
 *
 * @example
 * ```ts
 * parseRetryAfter('120', Date.now()) // 120_000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT')) // 60_000
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (DELAY_SECONDS.test(text)) {
    const ms = Number(text) * 1000;
    return Number.isFinite(ms) ? ms : undefined;
  }
  let dateMs: number;
  if (IMF_FIXDATE.test(text) || RFC850_DATE.test(text)) {
    dateMs = Date.parse(text);
  } else if (ASCTIME_DATE.test(text)) {
    // asctime carries no zone, but HTTP dates are always GMT (RFC 9110 §5.6.7).
    dateMs = Date.parse(`${text} GMT`);
  } else {
    return undefined;
  }
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
