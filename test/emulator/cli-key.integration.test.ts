// `line-token emulator --key FILE[:KID]` (in process, stopped through its signal): keys as
// users hold them (a PEM, seed 001's private JWK with its kid inside, a bare public JWK)
// are registered at start, the JSON line lists the kids, and a bad --key fails before the
// emulator serves, with a line that names the file and never its contents.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseKeyFlag } from '../../src/cli/internal/key-flag.js';
import { runCli } from '../../src/cli/runner.js';
import { postForm } from './helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../assertion/fixtures/${name}`, import.meta.url));
const PEM = fixture('test-rsa-2048-a.pem');
const SEED = fixture('seed-001-private.jwk.json');
const SEED_KID = '1dab2f4f-b73f-47a3-b99d-1730e22b9544';
const CH = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Info {
  url: string;
  keys?: Array<{ kid: string; channelId: string }>;
}
interface Started {
  code?: number;
  info?: Info;
  stderr: string;
  stop(): Promise<number>;
}

/** Runs `line-token emulator ...args` in process until its first line (or its exit). */
async function emulator(args: string[]): Promise<Started> {
  const controller = new AbortController();
  let stderr = '';
  let first: (line: string) => void = () => {};
  const printed = new Promise<string>((resolve) => (first = resolve));
  const exit = runCli(['emulator', ...args], {
    stdout: (t) => first(t),
    stderr: (t) => void (stderr += t),
    env: {},
    readStdin: async () => '',
    signal: controller.signal,
  });
  const outcome = await Promise.race([printed, exit]);
  const stop = async () => {
    controller.abort();
    return exit;
  };
  if (typeof outcome === 'number') return { code: outcome, stderr, stop };
  return { info: JSON.parse(outcome) as Info, stderr, stop };
}

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
function assertionFor(kid: string, keyFile: string, keyText: string): string {
  const key = keyFile.endsWith('.pem')
    ? createPrivateKey(keyText)
    : createPrivateKey({
        key: JSON.parse(keyText) as import('node:crypto').JsonWebKey,
        format: 'jwk',
      });
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({
    iss: CH,
    sub: CH,
    aud: 'https://api.line.me/',
    exp: Math.floor(Date.now() / 1000) + 600,
    token_exp: 3600,
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

describe('line-token emulator --key', () => {
  const dir = tempDirFor(suiteScope(), 'line-token-emu-key-');

  test('splits FILE[:KID] at the last colon only when what follows is a kid', () => {
    assert.deepEqual(parseKeyFlag(`key.json:${SEED_KID}`), { file: 'key.json', kid: SEED_KID });
    assert.deepEqual(parseKeyFlag('key.json'), { file: 'key.json' });
    assert.deepEqual(parseKeyFlag('./a:b/key.json'), { file: './a:b/key.json' });
  });

  test('registers a PEM under the given kid, seed 001 under the kid inside it, a public JWK under a new UUID; the line lists them', async () => {
    const publicFile = join(dir, 'public.jwk.json');
    await writeFile(
      publicFile,
      JSON.stringify({
        ...createPublicKey(await readFile(PEM, 'utf8')).export({ format: 'jwk' }),
        alg: 'RS256',
        use: 'sig',
      }),
    );
    const run = await emulator([
      '--channel',
      `${CH}:${SECRET}`,
      '--key',
      `${PEM}:pem-kid-1`,
      '--key',
      SEED,
      '--key',
      publicFile,
    ]);
    try {
      assert.ok(run.info, run.stderr);
      const keys = run.info.keys!;
      assert.deepEqual(keys.slice(0, 2), [
        { kid: 'pem-kid-1', channelId: CH },
        { kid: SEED_KID, channelId: CH },
      ]);
      assert.match(keys[2]!.kid, UUID);
      for (const [kid, file] of [
        ['pem-kid-1', PEM],
        [SEED_KID, SEED],
      ] as const) {
        const issued = await postForm(run.info.url, '/oauth2/v2.1/token', {
          grant_type: 'client_credentials',
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertionFor(kid, file, await readFile(file, 'utf8')),
        });
        assert.equal(issued.status, 200, `${kid}: ${issued.text}`);
      }
    } finally {
      assert.equal(await run.stop(), 0);
    }
    const seedD = (JSON.parse(await readFile(SEED, 'utf8')) as { d: string }).d;
    assert.ok(!run.stderr.includes(seedD.slice(0, 16)), 'the private key never shows');
  });

  test('a --key that cannot be used exits 2 with a line naming the file, never its contents', async () => {
    const notKey = join(dir, 'not-a-key.txt');
    await writeFile(notKey, 'SECRET-LOOKING-CONTENT-0123456789');
    for (const [args, pattern] of [
      [
        ['--channel', `${CH}:${SECRET}`, '--key', join(dir, 'missing.json')],
        /cannot read --key .*missing\.json \(ENOENT\)/,
      ],
      [
        ['--channel', `${CH}:${SECRET}`, '--key', notKey],
        /--key .*not-a-key\.txt is not a usable RSA key/,
      ],
      [
        ['--channel', `${CH}:${SECRET}`, '--key', `${PEM}:same`, '--key', `${SEED}:same`],
        /--key .* was refused: .*already registered/,
      ],
    ] as const) {
      const run = await emulator([...args]);
      assert.equal(run.code ?? (await run.stop()), 2, run.stderr);
      assert.match(run.stderr, pattern);
      assert.ok(!run.stderr.includes('SECRET-LOOKING'), run.stderr);
    }
  });
});
