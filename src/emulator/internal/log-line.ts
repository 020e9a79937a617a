/**
 * The emulator's request log lines: method, a path that cannot hold a secret, status, time
 * and request id.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { ADMIN_PREFIX, adminRouteLabel } from '../admin-routes.js';
import { isDashboardPath } from '../dashboard/serve.js';
import { messagingRoute } from '../messaging.js';
import { OPERATIONS } from '../operations.js';
import type { Stamp } from './http.js';

/** Where log lines go; `undefined` logs nothing. */
export type Log = ((line: string) => void) | undefined;

/** A path that is no token operation, as the log shows it: its route pattern. */
function otherPathLabel(path: string): string {
  const messaging = messagingRoute(path);
  if (messaging === 'not-emulated') return '(not emulated /v2/bot/ path)';
  if (messaging !== undefined) return messaging.label;
  return path.startsWith(ADMIN_PREFIX) ? adminRouteLabel(path) : '(unknown path)';
}

/** Writes one request's log line; a sink that throws is ignored. */
export function logLine(
  log: Log,
  req: IncomingMessage,
  path: string,
  status: number | 'reset',
  startedMs: number,
  stamp: Stamp,
  note = '',
): void {
  if (!log) return;
  // Only paths we know are logged, admin ones as their route pattern: anything else could be
  // a token pasted in the wrong place.
  const shown = OPERATIONS.has(path) || isDashboardPath(path) ? path : otherPathLabel(path);
  const ms = (performance.now() - startedMs).toFixed(1);
  try {
    log(
      `${req.method ?? '-'} ${shown} ${status} ${ms}ms ${stamp.requestId}${note ? ` ${note}` : ''}`,
    );
  } catch {
    // A failing log sink (a closed stderr pipe) must not take the emulator down.
  }
}
