/**
 * The admin API creates channels, hands out secrets and tokens, and resets everything: it is
 * for tests on this machine only. A web page must not be able to drive it, by a cross-site
 * request (CSRF) or through DNS rebinding (a hostile name that resolves to 127.0.0.1). A
 * browser marks a cross-site request with an `Origin` that is not a loopback one, and a
 * cross-site form can only send form or text bodies, never `application/json` without a
 * CORS preflight, which the emulator never grants. A rebinding page's own GETs are
 * same-origin and carry no `Origin`, but they carry its name as `Host`: the admin API
 * answers only under localhost, an IP address, or a name the user allowed (`adminHosts`).
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Answer } from './responses.js';

// A DNS name as a Host header carries it: letters, digits, hyphens and dots.
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

/** Whether `value` is a DNS host name (not an IP address). */
export function isHostName(value: string): boolean {
  return HOST_NAME.test(value) && isIP(value) === 0;
}

/** A host name as compared: lower case, without a trailing dot. */
export function normalizeHostName(value: string): string {
  return value.toLowerCase().replace(/\.$/, '');
}

/** The host of a `Host` header, without its port or IPv6 brackets. */
function hostOf(header: string): string {
  if (header.startsWith('[')) {
    const end = header.indexOf(']');
    return end < 0 ? header : header.slice(1, end);
  }
  const colon = header.lastIndexOf(':');
  return colon < 0 ? header : header.slice(0, colon);
}

/** Whether the admin API may answer a request whose `Host` header is `header`. */
export function isAdminHost(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  // HTTP/1.0 clients may send none; a browser always sends one.
  if (header === undefined) return true;
  const host = hostOf(header);
  if (isIP(host) !== 0) return true;
  const name = normalizeHostName(host);
  return name === 'localhost' || allowed.has(name);
}

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

/**
 * The refusal of an admin request a web page could have sent, or undefined to go on.
 * `adminHosts` are the names allowed besides localhost and IP addresses.
 */
export function refuseAdminRequest(
  req: IncomingMessage,
  adminHosts: ReadonlySet<string>,
): Answer | undefined {
  const hostHeader = req.headers.host;
  if (!isAdminHost(hostHeader, adminHosts)) {
    // The name is echoed only when it is one: a Host header is the client's own text.
    const host = normalizeHostName(hostOf(hostHeader ?? ''));
    const name = isHostName(host) ? host : 'NAME';
    return {
      status: 403,
      body: {
        message: `the admin API answers under localhost or an IP address only (a web page could reach it through a name that resolves to this machine); to use the name ${name}, start the emulator with adminHosts: ["${name}"] (line-token emulator --admin-host ${name})`,
      },
    };
  }
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
