/**
 * Serves the dashboard page at `/` (and `/dashboard`): one HTML document with its style and
 * script inline, behind the admin API's Host/Origin guard. A Content-Security-Policy lets
 * only that script run and only same-origin requests go out, and no other site may frame it
 * (its buttons move the clock and switch faults). The page reads and drives the emulator
 * through the admin API, like code does.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuseAdminRequest } from '../internal/admin-guard.js';
import { sendAnswer, sendRaw, type Stamp } from '../internal/http.js';
import * as R from '../internal/responses.js';
import { dashboardHtml, inlineScript } from './html.js';
import { pageScript } from './script.js';

/** Whether a path is the dashboard page's. */
export function isDashboardPath(path: string): boolean {
  return path === '/' || path === '/dashboard';
}

/**
 * Whether a path is the page's once-a-second poll, which the request log lines leave out:
 * an open dashboard would otherwise bury the bot's requests on stderr.
 */
export function isDashboardPoll(path: string): boolean {
  return path === '/__emulator/dashboard/state';
}

let page: Promise<{ html: string; csp: string }> | undefined;

// Built once per process: the script never changes while it runs.
function loadPage(): Promise<{ html: string; csp: string }> {
  page ??= pageScript().then((script) => {
    const inline = inlineScript(script);
    const hash = createHash('sha256').update(inline).digest('base64');
    return {
      html: dashboardHtml(inline),
      csp: `default-src 'none'; script-src 'sha256-${hash}'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    };
  });
  return page;
}

/** Answers a request for the page; resolves to the status sent. */
export async function serveDashboard(
  adminHosts: ReadonlySet<string>,
  req: IncomingMessage,
  res: ServerResponse,
  stamp: Stamp,
): Promise<number> {
  req.resume();
  // Same guard as the admin API: a page another site loads through a rebinding name is refused.
  const refusal = refuseAdminRequest(req, adminHosts);
  if (refusal) {
    sendAnswer(res, stamp, refusal);
    return refusal.status;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendAnswer(res, stamp, R.methodNotAllowed('GET, HEAD'));
    return 405;
  }
  const { html, csp } = await loadPage();
  sendRaw(res, stamp, 200, 'text/html; charset=utf-8', html, {
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  return 200;
}
