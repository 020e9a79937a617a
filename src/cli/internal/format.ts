import { durationText } from '../../internal/duration-text.js';

/** Human text for times: an ISO instant plus how far away it is. */
export function formatExpiry(expiresAtMs: number, nowMs: number): string {
  return `${new Date(expiresAtMs).toISOString()} (${formatDuration(expiresAtMs - nowMs)})`;
}

/** `in 30 days`, `in 15 minutes`, `2 hours ago`: the largest whole unit, rounded down. */
export function formatDuration(deltaMs: number): string {
  const text = durationText(Math.floor(Math.abs(deltaMs) / 1000));
  return deltaMs >= 0 ? `in ${text}` : `${text} ago`;
}
