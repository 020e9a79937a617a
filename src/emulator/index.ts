/**
 * A faithful local emulator of LINE's Channel Access Token API (`line-token/emulator`).
 * Node.js only. It answers the eight operations the way api.line.me does
 * (see docs/emulator.md), with a virtual clock, fault injection, rate limits and an admin
 * API under `/__emulator/`, and serves a local Messaging API (`/v2/bot/info`,
 * `/v2/bot/message/push|reply|multicast|broadcast`, profiles, followers, quota) that checks
 * bearer tokens against its own, validates messages as LINE does, honours retry keys and
 * reply tokens, and sends signed webhooks to a bot (docs/local-line.md).
 *
 * @module line-token/emulator
 */
import { isIP, type AddressInfo } from 'node:net';
import { InvalidArgumentError } from '../errors.js';
import {
  booleanOption,
  functionOption,
  integerOption,
  invalidOption,
  optionsObject,
  rejectUnknownOptions,
  wordOption,
} from '../internal/validate.js';
import { EmulatorCore } from './internal/core.js';
import { DEFAULT_FAULT_SEED } from './faults.js';
import { loadState, StateSaver } from './internal/persistence.js';
import { createEmulatorServer, stopEmulatorServer } from './internal/server.js';
import { isHostName, normalizeHostName } from './internal/admin-guard.js';
import type { Emulator, EmulatorOptions } from './types.js';

export { createEmulatorAdmin } from './admin-client.js';
export { ADMIN_PREFIX } from './admin-routes.js';
export { DEFAULT_FAULT_SEED } from './faults.js';
export { MAX_BODY_BYTES } from './internal/http.js';
export {
  MAX_JSON_DEPTH,
  MAX_MESSAGES_PER_REQUEST,
  MAX_MULTICAST_RECIPIENTS,
  MAX_TEXT_LENGTH,
} from './internal/message-validation.js';
export { MAX_MESSAGING_BODY_BYTES } from './messaging.js';
export { REPLY_TOKEN_LIFETIME_MS } from './reply-tokens.js';
export { RETRY_KEY_LIFETIME_MS } from './retry-keys.js';
export { webhookSignature, WEBHOOK_TIMEOUT_MS } from './webhooks.js';
export { ASSERTION_TYPE, SCOPE_V2, SCOPE_V21, STATELESS_EXPIRES_IN_SEC } from './operations.js';
export {
  BROADCAST_RATE_PER_HOUR,
  DEFAULT_RATE_PER_SEC,
  MULTICAST_RATE_PER_SEC,
  SHORT_LIVED_ISSUE_RATE_PER_SEC,
} from './rate-limit.js';
export {
  LIVE_TOKEN_LIMIT,
  LONG_LIVED_NOMINAL_SEC,
  MAX_LONG_LIVED_GRACE_SEC,
  SHORT_LIVED_EXPIRES_IN_SEC,
} from './state.js';
export type * from './types.js';

/** Default interface: loopback only, so an emulator is never reachable from the network by accident. */
export const DEFAULT_EMULATOR_HOST = '127.0.0.1';
/** Default port: `0`, a free port chosen by the OS. */
export const DEFAULT_EMULATOR_PORT = 0;

const EMULATOR_KEYS = [
  'port',
  'host',
  'adminHosts',
  'channels',
  'now',
  'rateLimit',
  'seed',
  'stateFile',
  'log',
];

/** The names the admin API answers under besides localhost and IP addresses, lower case. */
function adminHostsOption(value: unknown, host: string): ReadonlySet<string> {
  const names = value ?? [];
  if (!Array.isArray(names)) invalidOption('adminHosts', 'an array of host names', names);
  const set = new Set<string>();
  for (const [i, name] of (names as unknown[]).entries()) {
    // An IP address is always answered: nothing to add.
    if (typeof name === 'string' && isIP(name) !== 0) continue;
    if (typeof name !== 'string' || !isHostName(name)) {
      invalidOption(`adminHosts[${i}]`, 'a host name such as "emulator"', name);
    }
    set.add(normalizeHostName(name));
  }
  // A name the emulator was told to bind to is one its users reach it by.
  if (isHostName(host)) set.add(normalizeHostName(host));
  return set;
}

function normalize(options: EmulatorOptions) {
  const o = optionsObject('startEmulator', options);
  rejectUnknownOptions(o, EMULATOR_KEYS, 'startEmulator');
  const port = integerOption('port', o['port'], DEFAULT_EMULATOR_PORT, { min: 0, max: 65_535 });
  const host = wordOption('host', o['host'], DEFAULT_EMULATOR_HOST);
  const channels = o['channels'] ?? [];
  if (!Array.isArray(channels)) invalidOption('channels', 'an array of { id, secret }', channels);
  for (const [i, c] of (channels as unknown[]).entries()) {
    const channel = c as Partial<Record<'id' | 'secret', unknown>> | null;
    if (
      typeof channel !== 'object' ||
      channel === null ||
      typeof channel.id !== 'string' ||
      typeof channel.secret !== 'string'
    ) {
      invalidOption(`channels[${i}]`, '{ id: string, secret: string }', c);
    }
  }
  const seed = o['seed'] ?? DEFAULT_FAULT_SEED;
  if (!Number.isInteger(seed)) invalidOption('seed', 'an integer', seed);
  const stateFile = o['stateFile'];
  if (stateFile !== undefined && (typeof stateFile !== 'string' || stateFile === '')) {
    invalidOption('stateFile', 'a file path', stateFile);
  }
  return {
    port,
    host,
    adminHosts: adminHostsOption(o['adminHosts'], host),
    channels: channels as NonNullable<EmulatorOptions['channels']>,
    now: functionOption<() => number>('now', o['now'], Date.now),
    rateLimit: booleanOption('rateLimit', o['rateLimit'], true),
    seed: seed as number,
    stateFile,
    log: functionOption<EmulatorOptions['log']>('log', o['log'], undefined),
  };
}

/**
 * Starts an emulator listening on `host:port` and resolves once it accepts connections.
 *
 * Defaults: port `0` (free port), host `127.0.0.1`, no channels, `Date.now` as clock,
 * rate limits on, fault seed `1`, state in memory, no logging.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ channels: [{ id: '1234567890', secret: 'shh' }] });
 * const client = new ChannelAccessTokenClient({ baseUrl: emu.url });
 * // ...
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const o = normalize(options);
  const core = new EmulatorCore({
    now: o.now,
    rateLimit: o.rateLimit,
    seed: o.seed,
    channels: o.channels,
  });
  let saver: StateSaver | undefined;
  if (o.stateFile !== undefined) {
    try {
      await loadState(o.stateFile, core.state);
    } catch (cause) {
      throw new InvalidArgumentError(
        'stateFile',
        `"stateFile" could not be loaded: ${(cause as Error).message}`,
        { cause },
      );
    }
    const log = o.log;
    saver = new StateSaver(o.stateFile, core.state, (err) =>
      log?.(`state file not written: ${(err as NodeJS.ErrnoException).code ?? 'error'}`),
    );
    const s = saver;
    core.state.onChange = () => s.schedule();
    s.schedule();
  }
  const server = createEmulatorServer(core, o.log, o.adminHosts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostPart}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    admin: core.admin(),
    close() {
      closing ??= (async () => {
        await stopEmulatorServer(server);
        await saver?.flush();
      })();
      return closing;
    },
  };
}
