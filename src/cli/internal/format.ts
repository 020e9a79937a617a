/** Human text for times: an ISO instant plus how far away it is. */
export function formatExpiry(expiresAtMs: number, nowMs: number): string {
  return `${new Date(expiresAtMs).toISOString()} (${formatDuration(expiresAtMs - nowMs)})`;
}

/** `in 30 days`, `in 15 minutes`, `2 hours ago`: the largest whole unit, rounded down. */
export function formatDuration(deltaMs: number): string {
  const sec = Math.floor(Math.abs(deltaMs) / 1000);
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, name] = units.find(([s]) => sec >= s) ?? [1, 'second'];
  const n = Math.floor(sec / size);
  const text = `${n} ${name}${n === 1 ? '' : 's'}`;
  return deltaMs >= 0 ? `in ${text}` : `${text} ago`;
}
