/**
 * A typed client of the /__emulator/ admin API, for driving an emulator that runs in another
 * process (e.g. one started with `line-token emulator`).
 *
 * @module
 */
import { InvalidArgumentError, LineInvalidResponseError, LineNetworkError } from '../errors.js';
import { invalidArgument } from '../internal/validate.js';
import type {
  EmulatorAdmin,
  EmulatorFriend,
  EmulatorMessage,
  EmulatorWebhookDelivery,
  EmulatorStats,
  EmulatorTokenInfo,
  FaultConfig,
} from './types.js';

/**
 * Creates an {@link EmulatorAdmin} that talks to the emulator at `url` over HTTP.
 * Refusals (bad JWK, unknown channel, ...) reject with the same InvalidArgumentError the
 * in-process admin throws.
 *
 * @example
 * ```ts
 * const admin = createEmulatorAdmin('http://127.0.0.1:8080');
 * const { id, secret } = await admin.createChannel();
 * await admin.advanceClock(3600);
 * ```
 */
export function createEmulatorAdmin(url: string): EmulatorAdmin {
  const where = 'createEmulatorAdmin';
  const expected = "the emulator's base http: or https: URL, e.g. http://127.0.0.1:8080";
  let base: URL | undefined;
  try {
    base = new URL('/__emulator/', url);
  } catch {
    // Not quoted: a URL may carry credentials; the toolkit describes it by its kind.
  }
  if (base === undefined || (base.protocol !== 'http:' && base.protocol !== 'https:')) {
    return invalidArgument(where, 'url', expected, url);
  }
  const admin: URL = base;

  async function call<T>(
    operation: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, admin), {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new LineNetworkError(`emulator admin ${operation}`, { cause });
    }
    const text = await res.text();
    let data: unknown;
    try {
      data = text === '' ? {} : JSON.parse(text);
    } catch (cause) {
      throw new LineInvalidResponseError(
        {
          operation: `emulator admin ${operation}`,
          status: res.status,
          reason: 'body is not JSON',
        },
        { cause },
      );
    }
    if (!res.ok) {
      const d = (data ?? {}) as { message?: unknown; argument?: unknown };
      throw new InvalidArgumentError(
        typeof d.argument === 'string' ? d.argument : operation,
        typeof d.message === 'string'
          ? d.message
          : `emulator admin ${operation} answered HTTP ${res.status}`,
      );
    }
    return data as T;
  }

  const channel = (id: string) => `channels/${encodeURIComponent(id)}`;
  return {
    createChannel: (input = {}) => call('createChannel', 'POST', 'channels', input),
    registerKey: (channelId, publicJwk, options = {}) =>
      call(
        'registerKey',
        'POST',
        `${channel(channelId)}/keys${options.kid === undefined ? '' : `?kid=${encodeURIComponent(options.kid)}`}`,
        publicJwk,
      ),
    deleteKey: async (channelId, kid) => {
      await call('deleteKey', 'DELETE', `${channel(channelId)}/keys/${encodeURIComponent(kid)}`);
    },
    listTokens: async (channelId) =>
      (
        await call<{ tokens: EmulatorTokenInfo[] }>(
          'listTokens',
          'GET',
          `${channel(channelId)}/tokens`,
        )
      ).tokens,
    issueLongLived: (channelId, options = {}) =>
      call('issueLongLived', 'POST', `${channel(channelId)}/long-lived`, options),
    setFaults: async (faults: FaultConfig) => {
      await call('setFaults', 'PUT', 'faults', faults);
    },
    advanceClock: (seconds) => call('advanceClock', 'POST', 'clock', { advanceSec: seconds }),
    listMessages: async (channelId) =>
      (
        await call<{ messages: EmulatorMessage[] }>(
          'listMessages',
          'GET',
          `${channel(channelId)}/messages`,
        )
      ).messages,
    stats: () => call<EmulatorStats>('stats', 'GET', 'stats'),
    reset: async () => {
      await call('reset', 'POST', 'reset');
    },
    setWebhook: (channelId, url) =>
      call('setWebhook', 'PUT', `${channel(channelId)}/webhook`, { url }),
    sendMessage: (channelId, message) =>
      call('sendMessage', 'POST', `${channel(channelId)}/events`, { ...message, type: 'message' }),
    sendEvent: (channelId, event) =>
      call('sendEvent', 'POST', `${channel(channelId)}/events`, event),
    listDeliveries: async (channelId) =>
      (
        await call<{ deliveries: EmulatorWebhookDelivery[] }>(
          'listDeliveries',
          'GET',
          `${channel(channelId)}/deliveries`,
        )
      ).deliveries,
    redeliver: (channelId, deliveryId) =>
      call(
        'redeliver',
        'POST',
        `${channel(channelId)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      ),
    addFriend: (channelId, friend = {}) =>
      call('addFriend', 'POST', `${channel(channelId)}/friends`, friend),
    listFriends: async (channelId) =>
      (
        await call<{ friends: EmulatorFriend[] }>(
          'listFriends',
          'GET',
          `${channel(channelId)}/friends`,
        )
      ).friends,
    setMessageQuota: async (channelId, limit) => {
      await call('setMessageQuota', 'PUT', `${channel(channelId)}/quota`, { limit });
    },
  };
}
