/**
 * Where the CLI's credentials come from: a flag first, then the environment, so secrets
 * need not sit in shell history. Complaints name the flag and the variable, never a value.
 *
 * @module
 */
import { importPrivateKey, type AssertionKey } from '../assertion/key.js';
import { MAX_TOKEN_EXP_SEC } from '../line/facts.js';
import { readPrivateKeyText as readKeyText } from '../env/key-text.js';
import { LINE_ENV } from '../env/names.js';
import { InvalidArgumentError, InvalidKeyError } from '../errors.js';
import { parseDurationFlag } from './args.js';
import type { CommandContext, OptionSpec } from './types.js';

/** The environment variables the CLI reads (the same as `line-token/env`'s). */
export const ENV = LINE_ENV;

/** The credential flags, shared by every command that talks to LINE. */
export const CREDENTIAL_OPTIONS = {
  'channel-id': {
    type: 'string',
    short: 'c',
    valueName: 'ID',
    description: 'channel ID',
  },
  'channel-secret': {
    type: 'string',
    short: 's',
    valueName: 'SECRET',
    description: `channel secret (better: ${ENV.channelSecret}, kept out of shell history)`,
  },
  kid: {
    type: 'string',
    short: 'k',
    valueName: 'KID',
    description: 'assertion signing key id (the kid the Console gave)',
  },
  'private-key': {
    type: 'string',
    short: 'p',
    valueName: 'FILE',
    description: `private key file: a JWK, the {privateKey, publicKey} JSON, or a PEM (the key text itself: ${LINE_ENV.privateKey})`,
  },
} as const satisfies Record<string, OptionSpec>;

/** The `--token-exp` flag. */
export const TOKEN_EXP_OPTION = {
  'token-exp': {
    type: 'string',
    valueName: 'DURATION',
    description: `lifetime of the v2.1 token: seconds (86400) or 30m, 12h, 1d; at most 30d`,
  },
} as const satisfies Record<string, OptionSpec>;

/** A flag's value, else the environment variable's; blank counts as absent. */
export function fromFlagOrEnv(ctx: CommandContext, flag: string, env: string): string | undefined {
  const value = ctx.flags.string(flag) ?? ctx.env[env];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function missing(flag: string, env: string, what: string, why?: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `--${flag}`,
    `missing ${what}${why ? ` (${why})` : ''}: pass --${flag} or set ${env}`,
  );
}

/** The channel ID from `--channel-id` or `LINE_CHANNEL_ID`; `why` explains the need. */
export function requireChannelId(ctx: CommandContext, why?: string): string {
  const id = fromFlagOrEnv(ctx, 'channel-id', ENV.channelId);
  if (id === undefined) throw missing('channel-id', ENV.channelId, 'channel ID', why);
  return id;
}

/** The channel secret from `--channel-secret` or `LINE_CHANNEL_SECRET`. */
export function requireChannelSecret(ctx: CommandContext, why?: string): string {
  const secret = fromFlagOrEnv(ctx, 'channel-secret', ENV.channelSecret);
  if (secret === undefined)
    throw missing('channel-secret', ENV.channelSecret, 'channel secret', why);
  return secret;
}

/** The channel secret when one is configured, without complaining otherwise. */
export function optionalChannelSecret(ctx: CommandContext): string | undefined {
  return fromFlagOrEnv(ctx, 'channel-secret', ENV.channelSecret);
}

/** Whether the user configured assertion credentials (flags or environment). */
export function hasAssertionKey(ctx: CommandContext): boolean {
  return (
    fromFlagOrEnv(ctx, 'kid', ENV.kid) !== undefined &&
    fromFlagOrEnv(ctx, 'private-key', ENV.privateKey) !== undefined
  );
}

/** `--token-exp` as seconds, or `undefined` when not given. */
export function optionalTokenExp(ctx: CommandContext): number | undefined {
  const raw = ctx.flags.string('token-exp');
  return raw === undefined
    ? undefined
    : parseDurationFlag('--token-exp', raw, 1, MAX_TOKEN_EXP_SEC);
}

/** What signing an assertion needs, read and imported once. */
export interface AssertionMaterial {
  channelId: string;
  kid: string;
  privateKey: AssertionKey;
}

/**
 * Reads the channel id, key id and private key for an assertion. A key file that group or
 * others can read gets one warning, as ssh does; the key's text never reaches a message.
 */
export async function loadAssertionMaterial(ctx: CommandContext): Promise<AssertionMaterial> {
  const why = 'needed to sign the JWT assertion';
  const channelId = requireChannelId(ctx, why);
  const kid = fromFlagOrEnv(ctx, 'kid', ENV.kid);
  if (kid === undefined) throw missing('kid', ENV.kid, 'assertion key id', why);
  const text = await readPrivateKeyText(ctx, why);
  return { channelId, kid, privateKey: await withKeyOrigin(ctx, () => importPrivateKey(text)) };
}

/**
 * Runs `use` (an import of the key `--private-key` or LINE_ASSERTION_PRIVATE_KEY gave) and
 * names that flag or variable in an {@link InvalidKeyError}, where the library names its
 * option (`privateKey`), which a CLI user never typed.
 */
export async function withKeyOrigin<T>(ctx: CommandContext, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (err) {
    // Say which input holds the bad key; the import's own message never quotes the key.
    if (err instanceof InvalidKeyError && !err.message.startsWith(keyOrigin(ctx))) {
      const said = err.message.replace(/^"?privateKey"?( option)?\b/, 'the key');
      throw new InvalidKeyError(`${keyOrigin(ctx)}: ${said}`, { cause: err });
    }
    throw err;
  }
}

function keyOrigin(ctx: CommandContext): string {
  return ctx.flags.string('private-key') !== undefined ? '--private-key' : ENV.privateKey;
}

/**
 * Reads the private key's text from `--private-key FILE` or, without the flag, from
 * LINE_ASSERTION_PRIVATE_KEY: a path, the JWK or PEM text, either in one pair of quotes,
 * or base64 of either (the same reader as `line-token/env`). Key text given to the flag is
 * refused (it would sit in shell history and `ps`), described but never shown.
 *
 * @param why - said in the "missing" error, e.g. `needed to sign the JWT assertion`.
 */
export async function readPrivateKeyText(ctx: CommandContext, why: string): Promise<string> {
  const fromFlag = ctx.flags.string('private-key');
  const source = fromFlag ?? ctx.env[ENV.privateKey];
  if (source === undefined || source.trim() === '') {
    throw missing('private-key', ENV.privateKey, 'private key', why);
  }
  return readKeyText(source, {
    origin: fromFlag !== undefined ? '--private-key' : ENV.privateKey,
    inline: fromFlag === undefined,
    warn: (message) => ctx.warn(message),
    inlineHint: `save the key in a file (chmod 600) and pass its path, or put the key text in ${ENV.privateKey}`,
  });
}

/**
 * Reads the TOKEN argument; `-` reads it from stdin, which keeps it out of shell history.
 *
 * @throws {@link InvalidArgumentError} when it is missing or empty.
 */
export async function readTokenArgument(ctx: CommandContext): Promise<string> {
  const raw = ctx.positionals[0];
  if (raw === undefined) {
    throw new InvalidArgumentError(
      'TOKEN',
      'missing TOKEN: pass it as an argument, or "-" to read it from stdin',
    );
  }
  const token = raw === '-' ? ((await ctx.readStdin()).trim().split(/\r?\n/)[0] ?? '') : raw.trim();
  if (token === '') {
    throw new InvalidArgumentError(
      'TOKEN',
      `TOKEN is empty${raw === '-' ? ' (nothing on stdin)' : ''}`,
    );
  }
  return token;
}
