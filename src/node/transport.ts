/**
 * The client's default wire on Node.js, picked by the `node` condition of the package's
 * `#transport` import (package.json "imports"); other runtimes get
 * src/client/internal/fetch-transport.ts. A `fetch` option still wins over either.
 *
 * @module
 */
import type { Wire } from '../client/wire.js';
import { httpWire } from './http-wire.js';

/** Which wire this is, for the runtime tests and debugging. */
export const TRANSPORT_NAME = 'node:http';

/** Node's own HTTP client on kept-alive connections shared by the process. */
export function defaultWire(): Wire {
  return httpWire;
}
