/**
 * line-token: LINE Messaging API channel access tokens done right.
 *
 * This entry point is the portable core: it imports no `node:` module, so it runs on
 * Node.js, Deno, Bun and edge runtimes alike.
 *
 * @module line-token
 */
export * from './errors.js';
export * from './client/index.js';
export * from './assertion/index.js';
export * from './manager/index.js';
export * from './diagnose/index.js';
export * from './webhook/index.js';
export { LINE_FACTS } from './line/facts.js';
export type * from './telemetry/types.js';
