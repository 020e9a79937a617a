/**
 * `line-token emulator`: runs the local LINE emulator until SIGINT/SIGTERM. It prints
 * exactly one JSON line on stdout once listening (so a script can read the URL), then
 * logs requests to stderr.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import { parseIntegerFlag } from '../args.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

/** `line-token emulator [--port N] [--host H] [--channel ID:SECRET]...`. */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: "run a local emulator of LINE's token API; prints one JSON line with its URL",
  usage: [
    'emulator [--port N] [--host 127.0.0.1] [--channel ID:SECRET]... [--state-file FILE] [--seed N] [--no-rate-limit]',
  ],
  options: {
    port: {
      type: 'string',
      valueName: 'N',
      description: 'port to listen on (default 0: a free one)',
    },
    host: {
      type: 'string',
      valueName: 'HOST',
      description: 'interface to bind (default 127.0.0.1, loopback only)',
    },
    channel: {
      type: 'string',
      multiple: true,
      valueName: 'ID:SECRET',
      description: 'create a channel (repeatable); without any, one is made up and printed',
    },
    'state-file': {
      type: 'string',
      valueName: 'FILE',
      description: 'keep channels, keys, tokens and the clock in FILE across restarts',
    },
    seed: {
      type: 'string',
      valueName: 'N',
      description: 'seed of the fault-injection RNG (default 1)',
    },
    'no-rate-limit': {
      type: 'boolean',
      description: "do not enforce LINE's per-channel rate limits",
    },
  },
  details: [
    'The JSON line holds "url" (give it to --base-url or LINE_API_BASE_URL), "admin" (the',
    '/__emulator/ admin API: register keys, move the clock, inject faults) and "channels".',
    'SIGINT or SIGTERM closes it cleanly.',
  ],
  examples: [
    'line-token emulator --port 8080 --channel 1234567890:0123456789abcdef0123456789abcdef',
    'line-token emulator | head -1 | jq -r .url',
  ],
  run,
};

function parseChannel(raw: string): { id: string; secret: string } {
  const at = raw.indexOf(':');
  const id = at < 0 ? '' : raw.slice(0, at).trim();
  const secret = at < 0 ? '' : raw.slice(at + 1).trim();
  if (id === '' || secret === '') {
    throw new InvalidArgumentError('--channel', '--channel must be ID:SECRET, both non-empty');
  }
  return { id, secret };
}

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const { flags } = ctx;
  const port = flags.has('port')
    ? parseIntegerFlag('--port', flags.string('port') ?? '', 0, 65_535)
    : 0;
  const seedRaw = flags.string('seed');
  const seed =
    seedRaw === undefined ? undefined : parseIntegerFlag('--seed', seedRaw, 0, 2 ** 31 - 1);
  const channels = flags.list('channel').map(parseChannel);
  const stateFile = flags.string('state-file');
  const host = flags.string('host') ?? '127.0.0.1';
  // Loaded here, not at the top: no other command should pay for the server's modules.
  const { startEmulator } = await import('../../emulator/index.js');
  const emulator = await startEmulator({
    port,
    host,
    channels,
    rateLimit: !flags.bool('no-rate-limit'),
    ...(seed !== undefined && { seed }),
    ...(stateFile !== undefined && { stateFile }),
    log: (line: string) => ctx.log(line),
  }).catch((err: unknown) => {
    // A taken port or an unknown host is the user's to fix, not a failure of LINE.
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !/^(EADDRINUSE|EADDRNOTAVAIL|EACCES|ENOTFOUND)$/.test(code)) {
      throw err;
    }
    throw new InvalidArgumentError('--port', `cannot listen on ${host}:${port} (${code})`, {
      cause: err,
    });
  });
  const stop = async (): Promise<void> => {
    await emulator.close();
    ctx.log('line-token: emulator stopped');
  };
  // A fresh emulator with no channel is useless to a newcomer: make one up and print it.
  // With a state file the channels of the last run are still there.
  if (channels.length === 0 && stateFile === undefined) {
    try {
      channels.push(await emulator.admin.createChannel());
    } catch (err) {
      await stop();
      throw err;
    }
  }
  const line = { url: emulator.url, admin: `${emulator.url}/__emulator/`, channels };
  const done = new Promise<void>((resolve, reject) => {
    const onAbort = (): void => void stop().then(resolve, reject);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  ctx.log(`line-token: emulator listening on ${emulator.url}; stop it with Ctrl-C`);
  return { data: line, text: JSON.stringify(line), raw: true, done };
}
