/**
 * How the demo prints: aligned columns, virtual times relative to the start, colour only
 * on a terminal, and identifiers shortened so nothing secret-looking reaches the screen.
 *
 * @module
 */
import type { TokenRevokedEvent } from '../manager/types.js';

/** ANSI styles, or identity functions when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

const ansi =
  (open: number, close: number) =>
  (text: string): string =>
    `\u001b[${open}m${text}\u001b[${close}m`;

/**
 * Styles for a stream: colour only when it is a terminal and `NO_COLOR` is unset
 * (https://no-color.org), so logs and pipes get plain text.
 *
 * @example
 * ```ts
 * const style = styleFor(process.stdout.isTTY === true, process.env);
 * ```
 */
export function styleFor(isTty: boolean, env: Readonly<Record<string, string | undefined>>): Style {
  const on = isTty && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '');
  if (!on) {
    const plain = (text: string): string => text;
    return { bold: plain, dim: plain, green: plain, yellow: plain, red: plain, cyan: plain };
  }
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    green: ansi(32, 39),
    yellow: ansi(33, 39),
    red: ansi(31, 39),
    cyan: ansi(36, 39),
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A virtual time as `day D HH:MM:SS` counted from `originMs`, which reads better than
 * dates nobody will see again.
 *
 * @example
 * ```ts
 * formatClock(origin + 90_061_000, origin) // 'day 1 01:01:01'
 * ```
 */
export function formatClock(atMs: number, originMs: number): string {
  const totalSec = Math.floor((atMs - originMs) / 1000);
  const day = Math.floor(totalSec / 86_400);
  const rest = totalSec - day * 86_400;
  const h = Math.floor(rest / 3_600);
  const m = Math.floor((rest % 3_600) / 60);
  const s = rest % 60;
  return `day ${day} ${pad2(h)}:${pad2(m)}:${pad2(s)}`;
}

/**
 * A duration in the two largest units that matter: `1 day`, `4h 47m`, `1 min`, `30 s`.
 *
 * @example
 * ```ts
 * formatSpan(17_220_000) // '4h 47m'
 * ```
 */
export function formatSpan(ms: number): string {
  const sec = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(sec / 86_400);
  const h = Math.floor((sec % 86_400) / 3_600);
  const m = Math.floor((sec % 3_600) / 60);
  const s = sec % 60;
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d} day${d === 1 ? '' : 's'}`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m} min`;
  return `${s} s`;
}

/**
 * The first characters of an identifier (LINE's `key_id`), enough to tell tokens apart
 * in the timeline without printing more than a fingerprint.
 */
export function fingerprint(id: string | undefined, length = 8): string {
  if (id === undefined || id === '') return '-';
  return id.length <= length ? id : `${id.slice(0, length)}…`;
}

/**
 * Why a token was revoked, in words (the manager's `onRevoked` reason).
 *
 * @example
 * ```ts
 * revocationReason('superseded', 60_000) // 'after its 1 min grace period'
 * ```
 */
export function revocationReason(reason: TokenRevokedEvent['reason'], graceMs: number): string {
  switch (reason) {
    case 'current-at-close':
      return 'in use at shutdown, revoked as the manager closed';
    case 'superseded':
      return `after its ${formatSpan(graceMs)} grace period`;
    case 'superseded-at-close':
      return 'at shutdown, before its grace period ended';
    case 'token-limit':
      return 'early, as the channel was near the 30-token limit';
  }
}

/** One row of the timeline. */
export interface TimelineRow {
  /** Virtual time, epoch ms. */
  readonly at: number;
  /** What happened: `issued`, `refreshed`, `calls`, `revoked`, `warning`, `error`. */
  readonly event: string;
  /** The token's number in this run (`#1`, `#2`...), never its value. */
  readonly token: number | undefined;
  /** Live v2.1 tokens on the channel right after the event. */
  readonly live: number | undefined;
  readonly detail: string;
}

const WIDTH = { time: 14, event: 9, token: 5, live: 4 } as const;

const EVENT_STYLE: Record<string, keyof Style> = {
  issued: 'green',
  refreshed: 'green',
  revoked: 'cyan',
  warning: 'yellow',
  error: 'red',
};

/**
 * Renders timeline rows in fixed columns: time, event, token, live, detail. Padding is
 * applied before colour so the escape codes never shift the columns.
 */
export class TimelinePrinter {
  readonly #write: (line: string) => void;
  readonly #style: Style;
  readonly #originMs: number;

  constructor(options: { write: (line: string) => void; style: Style; originMs: number }) {
    this.#write = options.write;
    this.#style = options.style;
    this.#originMs = options.originMs;
  }

  /** The column titles. */
  header(): void {
    const s = this.#style;
    this.#write(
      s.bold(
        [
          'virtual time'.padEnd(WIDTH.time),
          'event'.padEnd(WIDTH.event),
          'token'.padEnd(WIDTH.token),
          'live'.padStart(WIDTH.live),
          'detail',
        ].join('  '),
      ),
    );
  }

  /** One event. */
  row(row: TimelineRow): void {
    const s = this.#style;
    const color = EVENT_STYLE[row.event];
    const event = row.event.padEnd(WIDTH.event);
    this.#write(
      [
        s.dim(formatClock(row.at, this.#originMs).padEnd(WIDTH.time)),
        color === undefined ? event : s[color](event),
        (row.token === undefined ? '' : `#${row.token}`).padEnd(WIDTH.token),
        (row.live === undefined ? '' : String(row.live)).padStart(WIDTH.live),
        row.detail,
      ].join('  '),
    );
  }
}
