/**
 * {@link startEmulator}: an emulator on a real loopback server, its state optionally kept
 * in a file.
 *
 * @module
 */
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '../errors.js';
import { EmulatorCore } from './internal/core.js';
import { loadState, StateSaver } from './internal/persistence.js';
import { createEmulatorServer, stopEmulatorServer } from './internal/server.js';
import { readEmulatorOptions } from './options.js';
import type { Emulator, EmulatorOptions } from './types.js';

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
  const o = readEmulatorOptions(options);
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
