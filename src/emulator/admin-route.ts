/**
 * The shape of one admin route, shared by the admin API (admin-routes.ts) and the
 * dashboard's routes (dashboard/routes.ts), which admin-routes.ts mounts: its own file so
 * the two never import each other.
 *
 * @module
 */
import type { EmulatorCore } from './internal/core.js';
import type * as R from './internal/responses.js';

/** An admin route's handler: the core, the parsed JSON body, the path's `*` segments, the query. */
export type Route = (
  core: EmulatorCore,
  body: unknown,
  params: string[],
  query: URLSearchParams,
) => R.Answer | Promise<R.Answer>;

/** One admin route: a method, a path pattern (`*` matches one segment) and its handler. */
export interface AdminRoute {
  method: string;
  pattern: string[];
  run: Route;
}
