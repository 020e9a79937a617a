/**
 * The client's default wire everywhere but Node.js: the runtime's global `fetch`. Reached
 * through the package's `#transport` import (package.json "imports"), whose `node`
 * condition picks src/node/transport.ts instead; Bun and Deno honour `node` too but are
 * sent here, since their `node:http` is a layer over their own `fetch`.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import { fetchWire, type Wire } from '../wire.js';

/** Which wire this is, for the runtime tests and debugging. */
export const TRANSPORT_NAME = 'fetch';

/** The global `fetch` as a wire; throws at construction when the runtime has none. */
export function defaultWire(): Wire {
  if (typeof globalThis.fetch !== 'function') {
    throw new InvalidArgumentError(
      'fetch',
      'this runtime has no global fetch; pass one as the "fetch" option',
    );
  }
  // Bound, because some runtimes refuse a fetch called with another `this`.
  return fetchWire(globalThis.fetch.bind(globalThis));
}
