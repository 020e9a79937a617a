/**
 * Live mode: keeps a real token from LINE fresh with the token manager until the process
 * is told to stop, printing each event and the manager's status, never the token. On stop
 * it closes the manager, which revokes the token it was holding (`revoke.onClose`, the
 * default for a manager without a store), so a run leaves nothing live on the channel (a
 * stateless token cannot be revoked: it just expires).
 *
 * @module
 */
import { ChannelAccessTokenClient } from '../client/client.js';
import { CLIENT_DEFAULTS } from '../client/defaults.js';
import { TOKEN_MANAGER_DEFAULTS } from '../manager/defaults.js';
import { TokenManager } from '../manager/manager.js';
import type { TokenManagerStatus } from '../manager/types.js';
import { describeFailure } from './failure.js';
import { readLiveConfig } from './live-config.js';
import { fingerprint, formatSpan, revocationReason, type Style } from './timeline.js';

/** How often live mode prints the manager's status when nothing else happens, ms. */
export const LIVE_STATUS_INTERVAL_MS = 3_600_000;

/** Options of {@link runLive}. */
export interface LiveOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** One line on stdout. */
  readonly write: (line: string) => void;
  /** One warning line on stderr. */
  readonly warn: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM: live mode then shuts down. */
  readonly signal: AbortSignal;
  readonly style: Style;
  /** Wall clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
}

const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** The status as one line: expiry, refresh time and counts, never the token. */
export function formatStatus(s: TokenManagerStatus, nowMs: number): string {
  const when = (label: string, at: number | undefined): string =>
    at === undefined ? '' : `, ${label} ${iso(at)} (in ${formatSpan(at - nowMs)})`;
  const token = s.hasToken ? `valid ${s.type} token` : `no valid ${s.type} token`;
  const key = s.keyId === undefined ? '' : ` (key_id ${fingerprint(s.keyId)})`;
  const c = s.counts;
  const flags = [
    s.refreshing && 'refreshing',
    s.degraded && 'store degraded',
    s.stopped && 'stopped',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `${token}${key}${when('expires', s.expiresAt)}${when('refresh due', s.refreshAt)}; ` +
    `issued ${c.issued}, revoked ${c.revocations}, failures ${c.failures}` +
    (flags === '' ? '' : `; ${flags}`) +
    (s.lastError === undefined ? '' : `; last error: ${s.lastError.message}`)
  );
}

/**
 * Runs live mode until `signal` aborts. Resolves after a clean shutdown; rejects with the
 * error that stopped it (a configuration error before anything was sent, or LINE refusing
 * the first token).
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * process.once('SIGTERM', () => controller.abort());
 * await runLive({ env: process.env, write, warn, signal: controller.signal, style });
 * ```
 */
export async function runLive(options: LiveOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const { write, style } = options;
  const config = await readLiveConfig(options.env, options.warn);
  const { strategy } = config;
  const event = (name: string, detail: string): void => {
    const color = name === 'error' || name === 'warning' ? style.yellow : style.green;
    write(`${style.dim(iso(now()))}  ${color(name.padEnd(9))}  ${detail}`);
  };
  const client = new ChannelAccessTokenClient({
    ...(config.baseUrl !== undefined && { baseUrl: config.baseUrl }),
    retry: false,
  });
  write(
    `  keeping a ${strategy.type} token for channel ${strategy.channelId} fresh at ` +
      `${config.baseUrl ?? CLIENT_DEFAULTS.baseUrl}; Ctrl-C (or SIGTERM) stops it`,
  );
  // Only its expiry is kept, for the note on a stateless token at the end.
  let current: { expiresAt: number } | undefined;
  let stopping = false;
  const manager = new TokenManager({
    strategy,
    client,
    refresh: { keepWarm: true },
    onTokenIssued: (e) => {
      const replaced = current !== undefined;
      current = { expiresAt: e.expiresAt };
      const key = e.keyId === undefined ? '' : `key_id ${fingerprint(e.keyId)}, `;
      event(replaced ? 'refreshed' : 'issued', `${key}expires ${iso(e.expiresAt)}`);
      // After the refresh cycle has wound up, so the status shows it finished.
      setImmediate(() => {
        if (!stopping) event('status', formatStatus(manager.status(), now()));
      });
    },
    onRevoked: (e) => {
      const key = e.keyId === undefined ? '' : ` (key_id ${fingerprint(e.keyId)})`;
      event(
        'revoked',
        e.reason === 'current-at-close'
          ? `the current ${e.type} token${key}, so none is left live`
          : `superseded ${e.type} token${key}, ${revocationReason(e.reason, TOKEN_MANAGER_DEFAULTS.revoke.graceMs)}`,
      );
    },
    onRefreshError: (e) =>
      event(
        'error',
        `${describeFailure(e.error)}${e.servingCurrentToken ? ' (current token still served)' : ''}`,
      ),
    onWarning: (w) => event('warning', w.message),
  });
  // Referenced on purpose: the manager's own timers never hold the process, this does.
  const heartbeat = setInterval(
    () => event('status', formatStatus(manager.status(), now())),
    LIVE_STATUS_INTERVAL_MS,
  );
  try {
    if (!options.signal.aborted) {
      await manager.getToken({ signal: options.signal }).catch((err: unknown) => {
        // Stopped while the first token was on its way: not a failure (close() below
        // waits for that issue, and the token is then revoked like any other).
        if (!options.signal.aborted) throw err;
      });
    }
    await untilAborted(options.signal);
  } finally {
    stopping = true;
    clearInterval(heartbeat);
    write('  stopping: closing the token manager');
    await manager.close();
  }
  if (current !== undefined && strategy.type === 'stateless') {
    event('note', `the stateless token cannot be revoked; it expires at ${iso(current.expiresAt)}`);
  }
  write('  stopped');
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
