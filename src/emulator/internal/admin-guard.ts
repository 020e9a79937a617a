/**
 * The admin API creates channels, hands out secrets and tokens, and resets everything: it is
 * for tests on this machine only. A web page must not be able to drive it, by a cross-site
 * request (CSRF) or through DNS rebinding (a hostile name that resolves to 127.0.0.1). A
 * browser marks both with an `Origin` that is not a loopback one, and a cross-site form can
 * only send form or text bodies, never `application/json` without a CORS preflight, which
 * the emulator never grants.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import type { Answer } from './responses.js';

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Whether an `Origin` header names a page served from this machine's loopback. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file: pages) included
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    LOOPBACK_HOST.test(url.host.replace(/:\d+$/, ''))
  );
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** The refusal of an admin request a web page could have sent, or undefined to go on. */
export function refuseAdminRequest(req: IncomingMessage): Answer | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined && !isLoopbackOrigin(origin)) {
    return {
      status: 403,
      body: {
        message:
          'the admin API refuses requests from web pages (a foreign Origin): drive it from your tests, not a browser',
      },
    };
  }
  if (req.method === 'POST' || req.method === 'PUT') {
    const type = req.headers['content-type'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    // No body and no type (reset, a bare POST) is fine; any declared type must be JSON.
    if ((hasBody || type !== undefined) && (type === undefined || !JSON_TYPE.test(type))) {
      return {
        status: 415,
        body: { message: 'the admin API takes application/json bodies only' },
      };
    }
  }
  return undefined;
}
