/**
 * `line-token keygen`: makes the RSA key pair LINE's v2.1 tokens need. The private JWK
 * goes to a 0600 file, the public JWK (exactly the members the Console accepts) to stdout.
 * With `--private-key FILE` it makes nothing and prints the Console JWK of a key the user
 * already holds (a PEM from openssl, a JWK from another tool).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { generateKeyPair, publicJwkForConsole } from '../../assertion/index.js';
import { describePath } from '../../env/key-text.js';
import { InvalidArgumentError } from '../../errors.js';
import { CREDENTIAL_OPTIONS, readPrivateKeyText, withKeyOrigin } from '../credentials.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

/** `line-token keygen --out FILE [--force]`, or `line-token keygen --private-key FILE`. */
export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'make an RSA-2048 assertion key pair: private JWK to a file, public JWK to stdout',
  usage: ['keygen --out FILE [--force]', 'keygen --private-key FILE'],
  options: {
    out: {
      type: 'string',
      short: 'o',
      valueName: 'FILE',
      description: 'where to write the private JWK (created with mode 0600)',
    },
    force: { type: 'boolean', short: 'f', description: 'overwrite FILE if it exists' },
    'private-key': {
      ...CREDENTIAL_OPTIONS['private-key'],
      description: 'make nothing: print the Console JWK of this existing private key (JWK or PEM)',
    },
  },
  details: [
    'Paste the public JWK into the LINE Developers Console (your channel > Basic settings >',
    'Assertion Signing Key). The Console answers with a kid: use it as --kid or LINE_ASSERTION_KID,',
    'with --private-key FILE, to sign assertions.',
  ],
  examples: [
    'line-token keygen --out line-private.jwk.json',
    'line-token keygen -o key.json --json | jq .publicJwk',
    'line-token keygen --private-key private.pem   # the Console JWK of a key you already have',
  ],
  offline: true,
  run,
};

async function run(ctx: CommandContext): Promise<CommandOutput> {
  if (ctx.flags.string('private-key') !== undefined) return publicJwkOfExistingKey(ctx);
  const out = ctx.flags.string('out');
  if (out === undefined || out.trim() === '') {
    throw new InvalidArgumentError('--out', 'missing --out FILE: where to write the private key');
  }
  const { privateJwk, publicJwk } = await generateKeyPair();
  await writePrivateFile(out, `${JSON.stringify(privateJwk, null, 2)}\n`, ctx.flags.bool('force'));
  return {
    data: { privateKeyFile: out, publicJwk },
    text: JSON.stringify(publicJwk, null, 2),
    notes: [
      `line-token: wrote the private key to ${out} (mode 0600); keep it secret.`,
      'line-token: register the public key above in the LINE Developers Console; pass the kid it',
      'line-token: gives you as --kid (or LINE_ASSERTION_KID) along with --private-key.',
    ],
  };
}

async function publicJwkOfExistingKey(ctx: CommandContext): Promise<CommandOutput> {
  if (ctx.flags.string('out') !== undefined || ctx.flags.bool('force')) {
    throw new InvalidArgumentError(
      '--out',
      '--private-key prints the public JWK of a key you already have and writes nothing; drop --out/--force, or drop --private-key to make a new pair',
    );
  }
  const text = await readPrivateKeyText(ctx, 'to derive its public JWK');
  const publicJwk = await withKeyOrigin(ctx, () => publicJwkForConsole(text));
  return {
    data: { publicJwk },
    text: JSON.stringify(publicJwk, null, 2),
    notes: [
      'line-token: register the public key above in the LINE Developers Console; pass the kid it',
      'line-token: gives you as --kid (or LINE_ASSERTION_KID) along with --private-key.',
    ],
  };
}

/**
 * Writes `text` to `path` with mode 0600. Without `force` an existing file is refused
 * (`wx`), since silently replacing a registered key breaks every signer using it; with
 * `force` we write a fresh 0600 file beside it and rename it over, so the mode is ours
 * and a crash never leaves half a key.
 */
async function writePrivateFile(path: string, text: string, force: boolean): Promise<void> {
  // Quoted when it is a path; described when it is not (a key pasted into --out).
  const shown = describePath(path);
  const target = force
    ? join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
    : path;
  let handle;
  try {
    handle = await open(target, 'wx', 0o600);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'EEXIST') {
      throw new InvalidArgumentError(
        '--out',
        `${shown} already exists; pass --force to overwrite it (a key registered in the Console stops working once its private half is gone)`,
      );
    }
    throw new InvalidArgumentError(
      '--out',
      `cannot create ${shown}${typeof code === 'string' ? ` (${code})` : ''}`,
      {
        cause: err,
      },
    );
  }
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (err) {
    // Half a key is worse than none: it would fail later, far from the cause.
    await handle.close();
    await rm(target, { force: true });
    const code = (err as { code?: unknown }).code;
    throw new InvalidArgumentError(
      '--out',
      `cannot write ${shown}${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause: err },
    );
  }
  await handle.close();
  if (force) {
    try {
      await rename(target, path);
    } catch (err) {
      await rm(target, { force: true });
      const code = (err as { code?: unknown }).code;
      throw new InvalidArgumentError(
        '--out',
        `cannot replace ${shown}${typeof code === 'string' ? ` (${code})` : ''}`,
        {
          cause: err,
        },
      );
    }
  }
}
