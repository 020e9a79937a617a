/**
 * `line-token emulator`: runs the local LINE emulator until SIGINT/SIGTERM. It prints
 * exactly one JSON line on stdout once listening (so a script can read the URL), then
 * logs requests to stderr.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '../../errors.js';
import { parseIntegerFlag } from '../args.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';
import { parseKeyFlag, publicKeyOf, readKeyFile } from '../internal/key-flag.js';

/** `line-token emulator [--port N] [--host H] [--channel ID:SECRET]... [--key FILE[:KID]]...`. */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: "run a local emulator of LINE's token API; prints one JSON line with its URL",
  usage: [
    'emulator [--port N] [--host 127.0.0.1] [--admin-host NAME]... [--channel ID:SECRET]... [--key FILE[:KID]]... [--state-file FILE] [--seed N] [--no-rate-limit] [--webhook URL]',
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
    'admin-host': {
      type: 'string',
      multiple: true,
      valueName: 'NAME',
      description:
        'a host name the admin API answers under besides localhost and IP addresses, e.g. a docker-compose service name (repeatable)',
    },
    channel: {
      type: 'string',
      multiple: true,
      valueName: 'ID:SECRET',
      description: 'create a channel (repeatable); without any, one is made up and printed',
    },
    key: {
      type: 'string',
      multiple: true,
      valueName: 'FILE[:KID]',
      description:
        'register this key for the first channel (repeatable): a private key (JWK, PEM, the browser pair) or a public JWK; KID, else the kid inside the JWK, else a new UUID',
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
    webhook: {
      type: 'string',
      valueName: 'URL',
      description:
        "your bot's webhook URL, for every channel given (or made up): the admin API's events are POSTed there, signed",
    },
  },
  details: [
    'The JSON line holds "url" (give it to --base-url or LINE_API_BASE_URL), "admin" (the',
    '/__emulator/ admin API: register keys, move the clock, inject faults), "dashboard" (a',
    'page to watch tokens, requests and messages, and drive the clock), "channels" and',
    '"keys" (the kid and channel of each --key). Only the public half of a --key is',
    'registered; the key itself is never printed. It also serves a Messaging API stand-in',
    '(GET /v2/bot/info, POST /v2/bot/message/push|reply|broadcast) that accepts its own',
    "live tokens and answers anything else with LINE's 401. With --webhook, POST",
    '/__emulator/channels/ID/events {"type":"message","text":"hi"} sends a signed webhook',
    'event with a fresh reply token to your bot (docs/local-line.md).',
    'SIGINT or SIGTERM closes it cleanly.',
  ],
  examples: [
    'line-token emulator --port 8080 --channel 1234567890:0123456789abcdef0123456789abcdef',
    'line-token emulator --channel 1234567890:0123456789abcdef0123456789abcdef --key key.json:1dab2f4f-b73f-47a3-b99d-1730e22b9544',
    'line-token emulator | head -1 | jq -r .url',
  ],
  offline: true,
  run,
};

function parseChannel(raw: string): { id: string; secret: string } {
  const at = raw.indexOf(':');
  const id = at < 0 ? '' : raw.slice(0, at).trim();
  const secret = at < 0 ? '' : raw.slice(at + 1).trim();
  if (id === '' || secret === '') {
    throw new InvalidArgumentError('--channel', '--channel must be ID:SECRET, both non-empty');
  }
  // LINE's channel ids are 10 digits: a client tested against another id would only meet
  // it here. Quoted only when short and plain, in case a secret was pasted in its place.
  if (!/^[0-9]{10}$/.test(id)) {
    const got = /^[\w.-]{1,16}$/.test(id) ? `"${id}"` : `${id.length} characters`;
    throw new InvalidArgumentError(
      '--channel',
      `--channel ID must be a 10-digit LINE channel id (as the Developers Console shows it), got ${got}`,
    );
  }
  return { id, secret };
}

/**
 * The channels a state file holds (the emulator has just loaded them), so the first line
 * lists them after a restart; an absent or unreadable file holds none.
 */
async function persistedChannels(file: string): Promise<Array<{ id: string; secret: string }>> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
  const list = (data as { channels?: unknown } | null)?.channels;
  if (!Array.isArray(list)) return [];
  return list.flatMap((c: unknown) => {
    const { id, secret } = (c ?? {}) as { id?: unknown; secret?: unknown };
    return typeof id === 'string' && typeof secret === 'string' ? [{ id, secret }] : [];
  });
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
  // Keys are read before the server starts: a bad file fails fast, with nothing to stop.
  const keys = await Promise.all(
    flags.list('key').map(async (raw) => {
      const { file, kid } = parseKeyFlag(raw);
      const { publicJwk, ownKid } = await publicKeyOf(file, await readKeyFile(file));
      return { file, publicJwk, kid: kid ?? ownKid };
    }),
  );
  const stateFile = flags.string('state-file');
  const host = flags.string('host') ?? '127.0.0.1';
  // Loaded here, not at the top: no other command should pay for the server's modules.
  const { startEmulator } = await import('../../emulator/index.js');
  const emulator = await startEmulator({
    port,
    host,
    adminHosts: flags.list('admin-host'),
    channels,
    rateLimit: !flags.bool('no-rate-limit'),
    ...(seed !== undefined && { seed }),
    ...(stateFile !== undefined && { stateFile }),
    log: (line: string) => ctx.log(line),
  }).catch((err: unknown) => {
    if (err instanceof InvalidArgumentError && err.argument.startsWith('adminHosts')) {
      throw new InvalidArgumentError(
        '--admin-host',
        '--admin-host takes a host name such as emulator',
        {
          cause: err,
        },
      );
    }
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
  // With a state file the channels of the last run are still there: list them too (the
  // docs' `jq '.channels[0]'` recipe reads them from this line).
  if (stateFile !== undefined) {
    for (const c of await persistedChannels(stateFile)) {
      if (!channels.some((known) => known.id === c.id)) channels.push(c);
    }
  }
  // A fresh emulator with no channel is useless to a newcomer: make one up and print it.
  if (channels.length === 0) {
    try {
      channels.push(await emulator.admin.createChannel());
    } catch (err) {
      await stop();
      throw err;
    }
  }
  const webhook = flags.string('webhook');
  if (webhook !== undefined) {
    try {
      for (const { id } of channels) {
        await emulator.admin.setWebhook(id, webhook).catch((cause: unknown) => {
          throw new InvalidArgumentError('--webhook', '--webhook needs an http: or https: URL', {
            cause,
          });
        });
      }
    } catch (err) {
      await stop();
      throw err;
    }
  }
  const registered: Array<{ kid: string; channelId: string }> = [];
  if (keys.length > 0) {
    const channelId = channels[0]?.id;
    try {
      if (channelId === undefined) {
        throw new InvalidArgumentError(
          '--key',
          '--key needs a channel to register for: add --channel ID:SECRET',
        );
      }
      for (const key of keys) {
        const { kid } = await emulator.admin
          .registerKey(channelId, key.publicJwk, key.kid === undefined ? {} : { kid: key.kid })
          .catch((cause: unknown) => {
            throw new InvalidArgumentError(
              '--key',
              `--key ${key.file} was refused: ${(cause as Error).message}`,
              { cause },
            );
          });
        registered.push({ kid, channelId });
      }
    } catch (err) {
      await stop();
      throw err;
    }
  }
  const line = {
    url: emulator.url,
    admin: `${emulator.url}/__emulator/`,
    dashboard: `${emulator.url}/`,
    channels,
    ...(registered.length > 0 && { keys: registered }),
    ...(webhook !== undefined && { webhook }),
  };
  const done = new Promise<void>((resolve, reject) => {
    // An event listener returns nothing: stop()'s outcome settles `done` instead.
    const onAbort = (): void => void stop().then(resolve, reject);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  ctx.log(
    `line-token: emulator listening on ${emulator.url}; dashboard at ${emulator.url}/; stop it with Ctrl-C`,
  );
  return { data: line, text: JSON.stringify(line), raw: true, done };
}
