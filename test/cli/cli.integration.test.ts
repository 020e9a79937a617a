// The built CLI as a user runs it: a child process of the `bin` (dist/cli/line-token.cjs)
// against the emulator started here. Checks the stdout/stderr split, exit codes, credentials
// from the environment, keygen's file and output, and that no secret or token ever reaches
// stderr.
// Build first (`npx tsc -p tsconfig.build.json`; `npm test` does it via pretest).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { chmod, copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { CLI, runChild, runInProcess, type RunResult } from './helpers.js';
import { defer, suiteScope, tempDirFor } from '../fixtures.js';

const CHANNEL = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';

let emu: Emulator;
const dir = tempDirFor(suiteScope(), 'line-token-cli-');
let keyFile: string;
let kid: string;
let privateD: string;
const secretsSeen: string[] = [SECRET];
const stderrSeen: string[] = [];

/** Runs the CLI child against the emulator, remembering its stderr for the leak check. */
async function cli(
  args: string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<RunResult> {
  const result = await runChild([...args, '--base-url', emu.url], {
    env,
    ...(stdin !== undefined && { stdin }),
  });
  stderrSeen.push(result.stderr);
  return result;
}

function v21Env(): Record<string, string> {
  return {
    LINE_CHANNEL_ID: CHANNEL,
    LINE_ASSERTION_KID: kid,
    LINE_ASSERTION_PRIVATE_KEY: keyFile,
    LINE_CHANNEL_SECRET: SECRET,
  };
}

before(async () => {
  emu = await startEmulator({ channels: [{ id: CHANNEL, secret: SECRET }] });
  keyFile = join(dir, 'private.jwk.json');
});

after(async () => {
  await emu.close();
});

describe('keygen', () => {
  test('writes the private JWK with mode 0600 and prints a public JWK the Console accepts', async () => {
    const { code, stdout, stderr } = await cli(['keygen', '--out', keyFile]);
    assert.equal(code, 0, stderr);
    const publicJwk = JSON.parse(stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(publicJwk).sort(), ['alg', 'e', 'kty', 'n', 'use']);
    assert.equal(publicJwk['kty'], 'RSA');
    assert.equal(publicJwk['alg'], 'RS256');
    assert.equal(publicJwk['use'], 'sig');
    assert.equal(Buffer.from(publicJwk['n'] ?? '', 'base64url').length, 256);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    const privateJwk = JSON.parse(await readFile(keyFile, 'utf8')) as Record<string, string>;
    assert.equal(privateJwk['n'], publicJwk['n']);
    assert.equal(typeof privateJwk['d'], 'string');
    assert.equal('kid' in privateJwk, false);
    privateD = privateJwk['d'] ?? '';
    secretsSeen.push(privateD);
    assert.match(stderr, /wrote the private key to .*private\.jwk\.json \(mode 0600\)/);
    // The emulator registers keys the way the Console does, refusing a JWK with a kid.
    kid = (await emu.admin.registerKey(CHANNEL, publicJwk)).kid;
  });

  test('refuses to overwrite the key without --force, and with --force replaces it at mode 0600', async () => {
    const refused = await cli(['keygen', '--out', keyFile]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stdout, '');
    assert.match(
      refused.stderr,
      /^line-token: .*already exists; pass --force to overwrite it[^\n]*\n$/,
    );
    assert.equal(JSON.parse(await readFile(keyFile, 'utf8')).d, privateD);

    const other = join(dir, 'other.json');
    await cli(['keygen', '-o', other]);
    await chmod(other, 0o644);
    const before = await readFile(other, 'utf8');
    const forced = await cli(['keygen', '-o', other, '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    const out = JSON.parse(forced.stdout) as { privateKeyFile: string; publicJwk: { n: string } };
    assert.equal(out.privateKeyFile, other);
    const after = JSON.parse(await readFile(other, 'utf8')) as { n: string; d: string };
    secretsSeen.push(after.d, JSON.parse(before).d);
    assert.notEqual(JSON.stringify(after), before);
    assert.equal(after.n, out.publicJwk.n);
    assert.equal((await stat(other)).mode & 0o777, 0o600);
  });
});

describe('keygen --private-key: the Console JWK of a key the user already has', () => {
  const pem = new URL('../assertion/fixtures/test-rsa-2048-a.pem', import.meta.url);

  test('prints exactly the Console members, matching the key, and writes nothing', async () => {
    const file = join(dir, 'existing.pem');
    await copyFile(pem, file);
    await chmod(file, 0o600);
    const { code, stdout, stderr } = await cli(['keygen', '--private-key', file]);
    assert.equal(code, 0, stderr);
    const printed = JSON.parse(stdout) as Record<string, string>;
    const expected = createPublicKey(await readFile(file, 'utf8')).export({ format: 'jwk' });
    assert.deepEqual(printed, {
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      e: expected.e,
      n: expected.n,
    });
    assert.doesNotMatch(stderr, /PRIVATE KEY|wrote/);
    // The emulator registers it the way the Console does.
    assert.match((await emu.admin.registerKey(CHANNEL, printed)).kid, /^[0-9a-f-]{36}$/);
  });

  test('refuses --out with --private-key (exit 2, nothing on stdout)', async () => {
    const result = await cli(['keygen', '--private-key', keyFile, '--out', join(dir, 'no.json')]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^line-token: --private-key prints the public JWK[^\n]*\n$/);
  });
});

describe('v2.1 tokens, credentials from the environment', () => {
  let token: string;
  let keyId: string;

  test('issue prints the token alone on stdout, its expiry on stderr, and warns of a key file others can read', async () => {
    const openKey = join(dir, 'open.jwk.json');
    await copyFile(keyFile, openKey);
    await chmod(openKey, 0o640);
    const { code, stdout, stderr } = await cli(['issue', '--type', 'v2.1', '--token-exp', '3600'], {
      ...v21Env(),
      LINE_ASSERTION_PRIVATE_KEY: openKey,
    });
    assert.equal(code, 0, stderr);
    const [warning, ...rest] = stderr.split('\n');
    assert.equal(
      warning,
      `line-token: warning: private key file "${openKey}" is readable by others (mode 0640); restrict it with: chmod 600 "${openKey}"`,
    );
    assert.equal(rest.length, 2, 'one warning, one expiry note');
    assert.match(stdout, /^[\w.-]+\n$/);
    token = stdout.trim();
    secretsSeen.push(token);
    const live = await emu.admin.listTokens(CHANNEL);
    const issued = live.find((t) => t.accessToken === token);
    assert.ok(issued, 'the printed token is a live token of the channel');
    keyId = issued.keyId ?? '';
    assert.match(
      rest.join('\n'),
      new RegExp(
        `v2\\.1 token expires at \\d{4}-\\S+ \\(in (59 minutes|1 hour)\\); key id ${keyId}\\n$`,
      ),
    );
  });

  test('verify finds it valid (type guessed from its shape), as text and as --json from stdin', async () => {
    const text = await cli(['verify', token]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^client_id: ${CHANNEL}\\nexpires_at: \\d{4}-[^\\n]+\\n`));
    const json = await cli(['verify', '-', '--type', 'v2.1', '--json'], {}, `${token}\n`);
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(out['valid'], true);
    assert.equal(out['type'], 'v2.1');
    assert.equal(out['clientId'], CHANNEL);
    assert.ok(
      typeof out['expiresIn'] === 'number' && out['expiresIn'] > 3500 && out['expiresIn'] <= 3600,
    );
    assert.equal(typeof out['expiresAt'], 'string');
  });

  test("kids lists the token's key id", async () => {
    const { code, stdout, stderr } = await cli(['kids', '--json'], v21Env());
    assert.equal(code, 0, stderr);
    assert.deepEqual(JSON.parse(stdout), { kids: [keyId] });
  });

  test('revoke needs the secret, then verify exits 1 and says why on stdout', async () => {
    const revoked = await cli(['revoke', token, '--type', 'v2.1'], v21Env());
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout, '');
    const { code, stdout, stderr } = await cli(['verify', token]);
    assert.equal(code, 1, stderr);
    assert.equal(stdout, 'invalid: The access token revoked\n');
    assert.equal(stderr, '');
  });
  test('issue without --token-exp issues a 1-day token, as the manager does (a lost one holds a slot a day, not 30)', async () => {
    const { code, stdout, stderr } = await cli(['issue', '--type', 'v2.1'], v21Env());
    assert.equal(code, 0, stderr);
    const issued = stdout.trim();
    secretsSeen.push(issued);
    const record = (await emu.admin.listTokens(CHANNEL)).find((t) => t.accessToken === issued);
    assert.ok(record, 'the printed token is live');
    assert.equal((record.expiresAt ?? 0) - record.issuedAt, 86_400_000);
    const revoked = await cli(['revoke', issued, '--type', 'v2.1'], v21Env());
    assert.equal(revoked.code, 0, revoked.stderr);
  });
});

describe('other families and failures', () => {
  test('issues a stateless token by secret, with --json holding the expiry', async () => {
    const { code, stdout, stderr } = await cli(['issue', '-t', 'stateless', '--json'], {
      LINE_CHANNEL_ID: CHANNEL,
      LINE_CHANNEL_SECRET: SECRET,
    });
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '');
    const out = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(out).sort(), [
      'accessToken',
      'expiresAt',
      'expiresIn',
      'tokenType',
      'type',
    ]);
    assert.equal(out['type'], 'stateless');
    assert.equal(out['expiresIn'], 900);
    assert.equal(out['tokenType'], 'Bearer');
    secretsSeen.push(String(out['accessToken']));

    // JWS-shaped like a v2.1 token, but only the v2 verify knows it: the guess falls back.
    const verified = await runInProcess([
      'verify',
      String(out['accessToken']),
      '--json',
      '--base-url',
      emu.url,
    ]);
    assert.equal(verified.code, 0, verified.stderr);
    const verdict = JSON.parse(verified.stdout) as Record<string, unknown>;
    assert.equal(verdict['valid'], true);
    assert.equal(verdict['type'], 'stateless');
    assert.equal(verdict['clientId'], CHANNEL);
  });

  test('issues a stateless token by assertion when --kid and --private-key are given', async () => {
    // A wrong secret in the environment proves the secret form was not used.
    const { code, stdout, stderr } = await runInProcess(
      ['issue', '-t', 'stateless', '-k', kid, '-p', keyFile, '--base-url', emu.url],
      {
        env: { LINE_CHANNEL_ID: CHANNEL, LINE_CHANNEL_SECRET: 'ffffffffffffffffffffffffffffffff' },
      },
    );
    assert.equal(code, 0, stderr);
    assert.match(stderr, /^line-token: stateless token expires at \S+ \(in 14 minutes\)\n$/);
    secretsSeen.push(stdout.trim());
  });

  test("exits 3 with one line naming LINE's answer when the secret is wrong, and never shows the secret", async () => {
    const wrong = 'ffffffffffffffffffffffffffffffff';
    secretsSeen.push(wrong);
    const { code, stdout, stderr } = await cli([
      'issue',
      '-t',
      'short-lived',
      '-c',
      CHANNEL,
      '-s',
      wrong,
    ]);
    assert.equal(code, 3);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      /^line-token: LINE answered issueShortLived with HTTP 400: invalid_client: invalid client_secret \(check the channel secret\) \[request id [^\]]+\]\n$/,
    );
  });

  test('exits 3 on a network failure', async (t) => {
    await emu.admin.setFaults({
      operations: { issueShortLived: { sequence: [{ type: 'reset' }] } },
    });
    defer(t, () => emu.admin.setFaults({}));
    const { code, stdout, stderr } = await cli(['issue', '-t', 'short-lived'], {
      LINE_CHANNEL_ID: CHANNEL,
      LINE_CHANNEL_SECRET: SECRET,
    });
    assert.equal(code, 3);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      new RegExp(
        `^line-token: network error during issueShortLived: could not reach the LINE API at ${emu.url}[^\\n]*\\n$`,
      ),
    );
  });
});

describe('interruption', () => {
  test('SIGINT during a request cancels it and exits 130 with one line', async (t) => {
    // Hold verify answers long enough that the signal lands while the request is in flight.
    await emu.admin.setFaults({ operations: { verify: { latencyMs: 3_000 } } });
    const before = (await emu.admin.stats()).requests['verify'] ?? 0;
    const child = spawn(
      process.execPath,
      [CLI, 'verify', 'some-token', '-t', 'long-lived', '--base-url', emu.url],
      {
        env: { PATH: process.env['PATH'] ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    defer(t, async () => {
      child.kill('SIGKILL');
      await emu.admin.setFaults({});
    });
    // Wait until the emulator has the request (it counts it before the added latency).
    while (((await emu.admin.stats()).requests['verify'] ?? 0) === before) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.equal(stdout, '');
    assert.equal(stderr, 'line-token: interrupted\n');
  });
});

describe('secrets', () => {
  test('never appear on stderr: no channel secret, private key or token in any run above', () => {
    assert.ok(stderrSeen.length >= 10);
    const all = stderrSeen.join('\n');
    for (const secret of secretsSeen) {
      assert.ok(secret.length >= 16);
      assert.equal(
        all.includes(secret),
        false,
        `stderr holds a secret starting ${secret.slice(0, 4)}`,
      );
    }
  });
});
