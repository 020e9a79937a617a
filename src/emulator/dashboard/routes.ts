/**
 * The admin routes the dashboard page calls besides the ones code uses (clock, faults,
 * messages): its state, and sending a message as a virtual user. They sit under the admin
 * prefix, so the admin API's Host/Origin guard covers them.
 *
 * @module
 */
import type { AdminRoute } from '../admin-route.js';
import { dashboardState } from './snapshot.js';

const SINCE = /^[0-9]{1,15}$/;

/** Routes appended to the admin API's table (a route of the same pattern listed earlier wins). */
export const DASHBOARD_ROUTES: AdminRoute[] = [
  {
    method: 'GET',
    pattern: ['dashboard', 'state'],
    run: (core, _body, _params, query) => {
      const since = query.get('since') ?? '0';
      if (!SINCE.test(since)) {
        return { status: 400, body: { message: 'since must be a sequence number' } };
      }
      return { status: 200, body: dashboardState(core, Number(since)) };
    },
  },
  {
    // What the chat view's send box calls: the same signed webhook event as
    // admin.sendMessage(), so what a developer types reaches the bot as LINE would send it.
    method: 'POST',
    pattern: ['channels', '*', 'messages', 'from-user'],
    run: async (core, body, [channelId]) => {
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const event = {
        type: 'message',
        text: b['text'],
        ...(b['userId'] === undefined ? {} : { userId: b['userId'] }),
      };
      return { status: 200, body: await core.webhooks.send(channelId!, event) };
    },
  },
];
