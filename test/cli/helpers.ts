// Shared by the CLI tests: an in-process runner with captured output, a child-process
// runner for the built CLI, and key material made with plain node:crypto (independent of
// our own key code).
import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/runner.js';
import type { Emulator } from '../../src/emulator/index.js';
import { emulatorFor, tempDirFor, type Scope } from '../fixtures.js';

/** What one CLI run produced. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process with captured stdout/stderr and the given environment. */
export async function runInProcess(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: options.env ?? {},
    readStdin: async () => options.stdin ?? '',
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/**
 * The built CLI, as `npm i -g` would run it: the file package.json's `bin` names (a small
 * CommonJS launcher that requires dist/cli/light.cjs for the light commands and imports
 * dist/cli/main.js for the rest). Tests assume `dist/` is fresh.
 */
export const CLI = fileURLToPath(new URL('../../dist/cli/line-token.cjs', import.meta.url));

/** The CLI's ES entry, which the launcher imports for every command but the light ones. */
export const CLI_ES_ENTRY = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** The light commands' CommonJS bundle (src/cli/light.ts), which the launcher requires. */
export const CLI_LIGHT = fileURLToPath(new URL('../../dist/cli/light.cjs', import.meta.url));

/**
 * Runs `node dist/cli/line-token.cjs ...args` as a user would, with only PATH and `env` in its
 * environment (so LINE_* variables of the developer's shell cannot leak in).
 */
export function runChild(
  args: string[],
  options: {
    env?: Record<string, string>;
    stdin?: string;
    timeoutMs?: number;
    /** Another built entry to run in place of the `bin` (CLI_ES_ENTRY, CLI_LIGHT). */
    entry?: string;
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [options.entry ?? CLI, ...args],
      {
        env: { PATH: process.env['PATH'] ?? '', ...options.env },
        timeout: options.timeoutMs ?? 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : (error as { code?: unknown }).code;
        if (typeof code !== 'number') reject(error ?? new Error('no exit code'));
        else resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.stdin ?? '');
  });
}

/** An RSA-2048 key pair made by node:crypto, with the private half as JWK text and PEM. */
export interface TestKey {
  privateJwkText: string;
  privatePem: string;
  publicKey: KeyObject;
  publicJwk: { kty: string; n: string; e: string; alg: 'RS256'; use: 'sig' };
}

export function makeTestKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    privateJwkText: JSON.stringify({
      ...privateKey.export({ format: 'jwk' }),
      alg: 'RS256',
      use: 'sig',
    }),
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey,
    publicJwk: { kty: 'RSA', n: String(jwk.n), e: String(jwk.e), alg: 'RS256', use: 'sig' },
  };
}

/** Writes `text` to `dir/name` with `mode` (chmod after, so the umask cannot change it). */
export async function writeKeyFile(
  dir: string,
  name: string,
  text: string,
  mode: number,
): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

/** Decodes one base64url JWS segment as JSON (plain Buffer: independent of jose). */
export function decodeSegment(segment: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

/** What {@link keyedEmulator} sets up. */
export interface KeyedEmulator {
  emu: Emulator;
  /** A temporary folder holding the key file. */
  dir: string;
  /** LINE_* variables for a CLI run: channel id and secret, the kid and the key file. */
  env: Record<string, string>;
}

/**
 * An emulator with one channel and a registered assertion key, the key in a 0600 file in a
 * temporary folder, and the environment a CLI run reads them from; all gone when `scope` ends.
 */
export async function keyedEmulator(
  scope: Scope,
  channelId: string,
  secret: string,
): Promise<KeyedEmulator> {
  const emu = await emulatorFor(scope, { channels: [{ id: channelId, secret }] });
  const dir = tempDirFor(scope, 'line-token-cli-');
  const key = makeTestKey();
  const keyFile = await writeKeyFile(dir, 'key.jwk.json', key.privateJwkText, 0o600);
  const { kid } = await emu.admin.registerKey(channelId, key.publicJwk);
  return {
    emu,
    dir,
    env: {
      LINE_CHANNEL_ID: channelId,
      LINE_CHANNEL_SECRET: secret,
      LINE_ASSERTION_KID: kid,
      LINE_ASSERTION_PRIVATE_KEY: keyFile,
    },
  };
}
