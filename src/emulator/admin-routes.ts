/**
 * The admin API under /__emulator/: what the LINE Developers Console does (channels, keys,
 * long-lived tokens) plus test controls (faults, clock, stats, reset). JSON in, JSON out.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { EmulatorCore } from './internal/core.js';
import { adminStatus } from './internal/admin-error.js';
import { adminBody } from './internal/admin-input.js';
import { ADMIN_MEMBERS } from './internal/admin-members.js';
import * as R from './internal/responses.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './internal/message-validation.js';
import { DASHBOARD_ROUTES } from './dashboard/routes.js';
import type { AdminRoute } from './admin-route.js';

/** Prefix of every admin route. */
export const ADMIN_PREFIX = '/__emulator/';

const json = (status: number, body: object): R.Answer => ({ status, body });

// Routes by method and pattern; `*` matches one path segment, passed on in order.
const ROUTES: AdminRoute[] = [
  {
    method: 'POST',
    pattern: ['channels'],
    run: (core, body) => {
      const b = adminBody(body, ADMIN_MEMBERS.createChannel, 'createChannel');
      return json(201, core.createChannel({ id: b['id'], secret: b['secret'] }));
    },
  },
  {
    method: 'GET',
    pattern: ['channels'],
    run: (core) => json(200, { channels: [...core.state.channels.keys()].map((id) => ({ id })) }),
  },
  {
    method: 'POST',
    pattern: ['channels', '*', 'keys'],
    run: (core, body, [channelId], query) => {
      // ?kid= registers an older Console key under the kid it came with.
      const kids = query.getAll('kid');
      if (kids.length > 1) return R.adminError(400, 'give ?kid= at most once');
      return json(201, core.registerKey(channelId!, body, kids[0]));
    },
  },
  {
    method: 'DELETE',
    pattern: ['channels', '*', 'keys', '*'],
    run: (core, _body, [channelId, kid]) => {
      core.deleteKey(channelId!, kid!);
      return json(200, {});
    },
  },
  {
    method: 'GET',
    pattern: ['channels', '*', 'tokens'],
    run: (core, _body, [channelId]) => json(200, { tokens: core.listTokens(channelId!) }),
  },
  {
    method: 'GET',
    pattern: ['channels', '*', 'messages'],
    run: (core, _body, [channelId]) => json(200, { messages: core.listMessages(channelId!) }),
  },
  {
    method: 'POST',
    pattern: ['channels', '*', 'long-lived'],
    run: (core, body, [channelId]) =>
      json(
        201,
        core.issueLongLived(
          channelId!,
          adminBody(body, ADMIN_MEMBERS.issueLongLived, 'issueLongLived')['graceSec'],
        ),
      ),
  },
  {
    method: 'GET',
    pattern: ['channels', '*', 'webhook'],
    run: (core, _body, [channelId]) => json(200, core.webhooks.getUrl(channelId!)),
  },
  {
    method: 'PUT',
    pattern: ['channels', '*', 'webhook'],
    run: (core, body, [channelId]) =>
      json(200, core.webhooks.setUrl(channelId!, adminBody(body, ['url'], 'setWebhook')['url'])),
  },
  {
    method: 'POST',
    pattern: ['channels', '*', 'events'],
    run: async (core, body, [channelId]) => json(200, await core.webhooks.send(channelId!, body)),
  },
  {
    method: 'GET',
    pattern: ['channels', '*', 'deliveries'],
    run: (core, _body, [channelId]) => json(200, { deliveries: core.webhooks.list(channelId!) }),
  },
  {
    method: 'POST',
    pattern: ['channels', '*', 'deliveries', '*', 'redeliver'],
    run: async (core, _body, [channelId, id]) =>
      json(200, await core.webhooks.redeliver(channelId!, id!)),
  },
  {
    method: 'GET',
    pattern: ['channels', '*', 'friends'],
    run: (core, _body, [channelId]) => json(200, { friends: core.listFriends(channelId!) }),
  },
  {
    method: 'POST',
    pattern: ['channels', '*', 'friends'],
    run: (core, body, [channelId]) => json(201, core.addFriend(channelId!, body)),
  },
  {
    method: 'PUT',
    pattern: ['channels', '*', 'quota'],
    run: (core, body, [channelId]) => {
      core.setMessageQuota(channelId!, adminBody(body, ['limit'], 'setMessageQuota')['limit']);
      return json(200, core.friends.quota(channelId!));
    },
  },
  { method: 'GET', pattern: ['faults'], run: (core) => json(200, core.faults.current) },
  {
    method: 'PUT',
    pattern: ['faults'],
    run: (core, body) => {
      core.setFaults(body ?? {});
      return json(200, core.faults.current);
    },
  },
  { method: 'GET', pattern: ['clock'], run: (core) => json(200, { now: core.state.now() }) },
  {
    method: 'POST',
    pattern: ['clock'],
    run: (core, body) =>
      json(200, core.advanceClock(adminBody(body, ['advanceSec'], 'clock')['advanceSec'])),
  },
  { method: 'GET', pattern: ['stats'], run: (core) => json(200, core.stats()) },
  {
    method: 'POST',
    pattern: ['reset'],
    run: (core) => {
      core.reset();
      return json(200, {});
    },
  },
  ...DASHBOARD_ROUTES,
];

function match(pattern: string[], segments: string[]): string[] | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const seg = segments[i]!;
    if (pattern[i] === '*') params.push(seg);
    else if (pattern[i] !== seg) return undefined;
  }
  return params;
}

/**
 * The route pattern a path matches, for the request log (`/__emulator/channels/{}/keys`):
 * never the path itself, which could hold anything a caller pasted into it.
 */
export function adminRouteLabel(path: string): string {
  const segments = path.slice(ADMIN_PREFIX.length).split('/').filter(Boolean);
  const route = ROUTES.find((r) => match(r.pattern, segments) !== undefined);
  return route
    ? `${ADMIN_PREFIX}${route.pattern.map((p) => (p === '*' ? '{}' : p)).join('/')}`
    : `${ADMIN_PREFIX}(unknown route)`;
}

/**
 * Answers one admin request. `path` starts with {@link ADMIN_PREFIX}; `query` is the text
 * after `?` (may be empty); `rawBody` may be empty.
 */
export async function handleAdmin(
  core: EmulatorCore,
  method: string,
  path: string,
  rawBody: Buffer,
  query = '',
): Promise<R.Answer> {
  let segments: string[];
  try {
    segments = path.slice(ADMIN_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return R.adminError(400, 'malformed path');
  }
  const candidates = ROUTES.filter((r) => match(r.pattern, segments) !== undefined);
  if (candidates.length === 0) return R.adminError(404, 'no such admin route');
  const route = candidates.find((r) => r.method === method);
  if (!route) return R.methodNotAllowed(candidates.map((r) => r.method).join(', '));
  let body: unknown;
  if (rawBody.length > 0) {
    const text = rawBody.toString('utf8');
    // No admin input nests deeply; a deep one could overflow a recursive walk later.
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      return R.adminError(400, `the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    }
    try {
      body = JSON.parse(text);
    } catch {
      return R.adminError(400, 'the request body is not valid JSON');
    }
  }
  try {
    return await route.run(core, body, match(route.pattern, segments)!, new URLSearchParams(query));
  } catch (err) {
    if (err instanceof InvalidArgumentError) {
      return json(adminStatus(err), { message: err.message, argument: err.argument });
    }
    throw err;
  }
}
