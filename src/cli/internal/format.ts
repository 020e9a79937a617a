import { durationText } from '../../internal/duration-text.js';

/** Human text for times: an ISO instant plus how far away it is. */
export function formatExpiry(expiresAtMs: number, nowMs: number): string {
  return `${new Date(expiresAtMs).toISOString()} (${formatDuration(expiresAtMs - nowMs)})`;
}

/**
 * `in 30 days`, `in 15 minutes`, `2 hours ago`: the largest whole unit, rounded down.
 * From an hour up, the time is first rounded to the nearest minute: a 1-day token checked
 * a few seconds after issue has 23:59:5x left, which people read as "in 1 day", not
 * "in 23 hours".
 */
export function formatDuration(deltaMs: number): string {
  const seconds = Math.abs(deltaMs) / 1000;
  const shown = seconds >= 3_600 ? Math.round(seconds / 60) * 60 : Math.floor(seconds);
  const text = durationText(shown);
  return deltaMs >= 0 ? `in ${text}` : `${text} ago`;
}
