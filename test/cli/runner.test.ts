// The runner in-process: help, version, usage errors, credentials from flags and the
// environment, the key-file permission warning. No network here (see cli.test.ts).
import assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { before, describe, test } from 'node:test';
import { decodeSegment, makeTestKey, runInProcess, writeKeyFile, type TestKey } from './helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const COMMANDS = ['keygen', 'assertion', 'issue', 'verify', 'revoke', 'kids', 'emulator', 'token'];

let key: TestKey;
const dir = tempDirFor(suiteScope(), 'line-token-cli-');
let keyFile: string;

before(async () => {
  key = makeTestKey();
  keyFile = await writeKeyFile(dir, 'key.json', key.privateJwkText, 0o600);
});

function verifySignature(jwt: string, k: TestKey): boolean {
  const [h, p, s] = jwt.split('.');
  return createVerify('RSA-SHA256')
    .update(`${h}.${p}`)
    .verify(k.publicKey, Buffer.from(s ?? '', 'base64url'));
}

describe('help and version', () => {
  test('prints the global help on stdout with --help, and on stderr with exit 2 when no command is given', async () => {
    const help = await runInProcess(['--help'], { env: { LINE_CHANNEL_SECRET: SECRET } });
    assert.equal(help.code, 0);
    for (const name of COMMANDS) assert.match(help.stdout, new RegExp(`\\n  ${name} `));
    assert.doesNotMatch(help.stdout, new RegExp(SECRET));
    const bare = await runInProcess([]);
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, '');
    assert.match(bare.stderr, /Usage: line-token <command>/);
  });

  test("prints a command's help, with its flags and variables but never their values", async () => {
    const env = { LINE_CHANNEL_SECRET: SECRET, LINE_ASSERTION_PRIVATE_KEY: key.privateJwkText };
    const { code, stdout, stderr } = await runInProcess(['issue', '-h'], { env });
    assert.equal(code, 0);
    assert.equal(stderr, '');
    for (const text of [
      '--type',
      '--channel-secret',
      '--token-exp',
      'LINE_CHANNEL_SECRET',
      'LINE_API_BASE_URL',
    ]) {
      assert.ok(stdout.includes(text), `help mentions ${text}`);
    }
    assert.ok(!stdout.includes(SECRET) && !stdout.includes(key.privateJwkText.slice(20, 60)));
  });

  test('prints the version from package.json', async () => {
    const pkg = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      version: string;
    };
    assert.deepEqual(await runInProcess(['--version']), {
      code: 0,
      stdout: `${pkg.version}\n`,
      stderr: '',
    });
    assert.equal((await runInProcess(['kids', '-V'])).stdout, `${pkg.version}\n`);
  });
});

describe('usage errors exit 2 with one line on stderr', () => {
  const cases: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['an unknown command', ['frobnicate'], {}, /unknown command "frobnicate"/],
    [
      'an unknown flag',
      ['issue', '--type', 'v2.1', '--bogus'],
      {},
      /unknown option --bogus for "issue"/,
    ],
    [
      'a missing --type',
      ['issue', '--channel-id', '1'],
      {},
      /missing --type v2\.1\|stateless\|short-lived/,
    ],
    [
      'a bad --type',
      ['issue', '--type', 'v3'],
      {},
      /--type must be one of v2\.1\|stateless\|short-lived, got "v3"/,
    ],
    [
      'a missing channel id',
      ['issue', '--type', 'short-lived'],
      { LINE_CHANNEL_SECRET: SECRET },
      /missing channel ID: pass --channel-id or set LINE_CHANNEL_ID/,
    ],
    [
      'a missing secret',
      ['issue', '-t', 'short-lived', '-c', '1'],
      {},
      /missing channel secret: pass --channel-secret or set LINE_CHANNEL_SECRET/,
    ],
    [
      'a missing kid',
      ['assertion', '-c', '1'],
      {},
      /missing assertion key id .*pass --kid or set LINE_ASSERTION_KID/,
    ],
    [
      'a missing private key',
      ['kids', '-c', '1', '-k', 'k'],
      {},
      /missing private key .*LINE_ASSERTION_PRIVATE_KEY/,
    ],
    [
      'a token-exp of 0',
      ['assertion', '--token-exp', '0'],
      {},
      /--token-exp must be a duration from 1 s to 2592000 s: .* got "0"/,
    ],
    [
      'a token-exp over 30 days',
      ['issue', '-t', 'v2.1', '--token-exp', '2592001'],
      {},
      /--token-exp must be a duration .* got "2592001"/,
    ],
    [
      '--token-exp on a short-lived issue',
      ['issue', '-t', 'short-lived', '--token-exp', '60'],
      {},
      /--token-exp applies to --type v2\.1 only/,
    ],
    [
      'a bad base URL',
      ['verify', 'x', '--base-url', 'ftp://example.com'],
      {},
      /--base-url must be an http\(s\) URL/,
    ],
    [
      'a bad base URL from the env',
      ['verify', 'x'],
      { LINE_API_BASE_URL: 'not a url' },
      /LINE_API_BASE_URL must be an http\(s\) URL/,
    ],
    ['no TOKEN', ['verify'], {}, /missing TOKEN/],
    ['two TOKENs', ['verify', 'a', 'b'], {}, /takes one positional argument, got 2/],
    ['an empty stdin for -', ['verify', '-'], {}, /TOKEN is empty \(nothing on stdin\)/],
    [
      'revoking a stateless token',
      ['revoke', 'x', '--type', 'stateless'],
      {},
      /stateless tokens cannot be revoked/,
    ],
    [
      'v2.1 revoke without a secret',
      ['revoke', 'eyJhbGciOiJIUzI1NiJ9.e30.sig', '-t', 'v2.1', '-c', '1'],
      {},
      /missing channel secret \(LINE requires it to revoke a v2\.1 token\)/,
    ],
    ['keygen without --out', ['keygen'], {}, /missing --out FILE/],
    [
      'a bad port',
      ['emulator', '--port', '70000'],
      {},
      /--port must be a whole number from 0 to 65535/,
    ],
    ['a bad --channel', ['emulator', '--channel', 'nocolon'], {}, /--channel must be ID:SECRET/],
  ];
  for (const [what, args, env, pattern] of cases) {
    test(`refuses ${what}`, async () => {
      const { code, stdout, stderr } = await runInProcess(args, { env });
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, /^line-token: [^\n]+\n$/);
      assert.match(stderr, pattern);
    });
  }

  test('never echoes a secret pasted where it does not belong', async () => {
    for (const args of [
      [`--chanel-secret=${SECRET}`, 'issue'],
      ['issue', '--type', SECRET],
      ['assertion', '--token-exp', SECRET],
      [SECRET],
    ]) {
      const { code, stderr } = await runInProcess(args);
      assert.equal(code, 2);
      assert.ok(
        !stderr.includes(SECRET.slice(0, 12)),
        `stderr of ${args.join(' ')} holds no secret`,
      );
    }
  });
});

describe('assertion credentials', () => {
  test('signs with flags, and flags win over the environment', async () => {
    const env = {
      LINE_CHANNEL_ID: '1111111111',
      LINE_ASSERTION_KID: 'env-kid',
      LINE_ASSERTION_PRIVATE_KEY: keyFile,
    };
    const { code, stdout, stderr } = await runInProcess(
      ['assertion', '--channel-id', '2222222222', '--kid', 'flag-kid', '--token-exp', '3600'],
      { env },
    );
    assert.equal(code, 0, stderr);
    const jwt = stdout.trim();
    assert.ok(verifySignature(jwt, key));
    const [h, p] = jwt.split('.');
    assert.deepEqual(decodeSegment(h), { alg: 'RS256', typ: 'JWT', kid: 'flag-kid' });
    const claims = decodeSegment(p);
    assert.equal(claims['iss'], '2222222222');
    assert.equal(claims['sub'], '2222222222');
    assert.equal(claims['aud'], 'https://api.line.me/');
    assert.equal(claims['token_exp'], 3600);
    assert.match(stderr, /the assertion expires at \d{4}-/);
  });

  test('takes everything from the environment, the key as a path, JWK text or PEM text', async () => {
    for (const privateKey of [keyFile, key.privateJwkText, key.privatePem]) {
      const env = {
        LINE_CHANNEL_ID: '1111111111',
        LINE_ASSERTION_KID: 'env-kid',
        LINE_ASSERTION_PRIVATE_KEY: privateKey,
      };
      const { code, stdout, stderr } = await runInProcess(['assertion', '--json'], { env });
      assert.equal(code, 0, stderr);
      assert.equal(stderr, '');
      const out = JSON.parse(stdout) as { assertion: string; expiresAt: string };
      assert.ok(verifySignature(out.assertion, key));
      const claims = decodeSegment(out.assertion.split('.')[1]);
      assert.equal(claims['iss'], '1111111111');
      assert.equal('token_exp' in claims, false);
      assert.equal(out.expiresAt, new Date(Number(claims['exp']) * 1000).toISOString());
    }
  });

  test('warns once when the key file is readable by others, and not when it is 0600', async () => {
    const open = await writeKeyFile(dir, 'open.json', key.privateJwkText, 0o644);
    const args = ['assertion', '-c', '1', '-k', 'kid', '-p', open];
    const warned = await runInProcess(args);
    assert.equal(warned.code, 0);
    const warnings = warned.stderr.split('\n').filter((l) => l.includes('warning'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /readable by others \(mode 0644\).*chmod 600/);
    const quiet = await runInProcess(['assertion', '-c', '1', '-k', 'kid', '-p', keyFile]);
    assert.equal(quiet.stderr.includes('warning'), false);
  });

  test('refuses a key file that is not a key, without printing its content', async () => {
    const bad = await writeKeyFile(
      dir,
      'bad.json',
      '{"kty":"oct","k":"c2VjcmV0LXN5bW1ldHJpYy1rZXk"}',
      0o600,
    );
    const notKey = await writeKeyFile(dir, 'junk.txt', 'hello PRIVATE-CONTENT', 0o600);
    for (const file of [bad, notKey]) {
      const { code, stdout, stderr } = await runInProcess([
        'assertion',
        '-c',
        '1',
        '-k',
        'kid',
        '-p',
        file,
      ]);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, /^line-token: [^\n]+\n$/);
      assert.ok(!stderr.includes('c2VjcmV0') && !stderr.includes('PRIVATE-CONTENT'));
    }
    const missing = await runInProcess([
      'assertion',
      '-c',
      '1',
      '-k',
      'kid',
      '-p',
      `${dir}/nope.json`,
    ]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /cannot read private key file ".*nope\.json": no such file \(ENOENT\)\n$/,
    );
    // Said once: the cause's code is not appended a second time.
    assert.equal(missing.stderr.split('ENOENT').length, 2, missing.stderr);
  });
});
