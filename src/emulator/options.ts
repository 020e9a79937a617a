/**
 * The options of {@link startEmulator}: their one spec, the defaults derived from it, and
 * their check, done once at start.
 *
 * @module
 */
import { isIP } from 'node:net';
import {
  boolean,
  custom,
  defaultsOf,
  fn,
  integer,
  readOptions,
  withDefault,
  word,
  type OptionsSpec,
} from '../internal/options-spec.js';
import { invalidOption } from '../internal/validate.js';
import { isHostName, normalizeHostName } from './internal/admin-guard.js';
import type { EmulatorOptions } from './types.js';

/** The reader of each option (see internal/options-spec.ts); internal. */
export const EMULATOR_SPEC = {
  // A free port chosen by the OS.
  port: integer(0, 0, 65_535),
  // Loopback only, so an emulator is never reachable from the network by accident.
  host: word('127.0.0.1'),
  adminHosts: custom(adminHostNames),
  channels: custom((value, path): NonNullable<EmulatorOptions['channels']> => {
    const channels = value ?? [];
    if (!Array.isArray(channels)) invalidOption(path, 'an array of { id, secret }', channels);
    for (const [i, c] of (channels as unknown[]).entries()) {
      const channel = c as Partial<Record<'id' | 'secret', unknown>> | null;
      if (
        typeof channel !== 'object' ||
        channel === null ||
        typeof channel.id !== 'string' ||
        typeof channel.secret !== 'string'
      ) {
        invalidOption(`${path}[${i}]`, '{ id: string, secret: string }', c);
      }
    }
    return channels as NonNullable<EmulatorOptions['channels']>;
  }),
  now: fn<() => number>(Date.now),
  rateLimit: boolean(true),
  // Any integer: the fault RNG's seed, so a run can be replayed.
  seed: withDefault(1, (value, path): number => {
    if (value === undefined) return 1;
    if (!Number.isInteger(value)) invalidOption(path, 'an integer', value);
    return value as number;
  }),
  stateFile: custom((value, path): string | undefined => {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      invalidOption(path, 'a file path', value);
    }
    return value;
  }),
  log: fn<((line: string) => void) | undefined>(undefined),
} satisfies OptionsSpec<EmulatorOptions>;

/** The names the admin API answers under besides localhost and IP addresses, lower case. */
function adminHostNames(value: unknown, path: string): ReadonlySet<string> {
  const names = value ?? [];
  if (!Array.isArray(names)) invalidOption(path, 'an array of host names', names);
  const set = new Set<string>();
  for (const [i, name] of (names as unknown[]).entries()) {
    // An IP address is always answered: nothing to add.
    if (typeof name === 'string' && isIP(name) !== 0) continue;
    if (typeof name !== 'string' || !isHostName(name)) {
      invalidOption(`${path}[${i}]`, 'a host name such as "emulator"', name);
    }
    set.add(normalizeHostName(name));
  }
  return set;
}

/**
 * The defaults of {@link EmulatorOptions}, read-only: the `port` (`0`, a free one), the
 * `host` (loopback), `rateLimit` on, and the fault `seed`.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ seed: EMULATOR_DEFAULTS.seed + 1 });
 * ```
 */
export const EMULATOR_DEFAULTS: Readonly<
  Required<Pick<EmulatorOptions, 'port' | 'host' | 'rateLimit' | 'seed'>>
> = defaultsOf(EMULATOR_SPEC);

/** Checks the options of `startEmulator` and applies the defaults. */
export function readEmulatorOptions(options: EmulatorOptions) {
  const o = readOptions(EMULATOR_SPEC, options, { where: 'startEmulator' });
  // A name the emulator was told to bind to is one its users reach it by.
  const adminHosts = isHostName(o.host)
    ? new Set([...o.adminHosts, normalizeHostName(o.host)])
    : o.adminHosts;
  return { ...o, adminHosts };
}
