// What `--help` promises matches what the commands do, and `line-token demo` runs the
// shipped demo: the built CLI as a child process.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { runChild, writeKeyFile } from './helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const dir = tempDirFor(suiteScope(), 'line-token-cli-');

describe('--help', () => {
  test('lists doctor and demo, and exit code 1 for a failed doctor check', async () => {
    const { code, stdout } = await runChild(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^ {2}doctor {2}/m);
    assert.match(stdout, /^ {2}demo {4}/m);
    assert.match(stdout, /1 verify found the token invalid or a doctor check failed/);
  });

  for (const name of ['keygen', 'emulator', 'assertion', 'demo']) {
    test(`of ${name}, which never calls LINE, does not offer --base-url or --timeout`, async () => {
      const { code, stdout } = await runChild([name, '--help']);
      assert.equal(code, 0);
      assert.doesNotMatch(stdout, /^ +--(base-url|timeout)\b/m);
      assert.match(stdout, /--json/);
    });
  }

  test('of issue still offers --base-url and --timeout', async () => {
    const { stdout } = await runChild(['issue', '--help']);
    assert.match(stdout, /--base-url URL/);
    assert.match(stdout, /--timeout SECONDS/);
  });
});

describe('keygen --private-key with a 1024-bit key', () => {
  test('names the flag, not the library option', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const file = await writeKeyFile(dir, 'small.pem', pem, 0o600);
    const { code, stdout, stderr } = await runChild(['keygen', '--private-key', file]);
    assert.equal(code, 2, stderr);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      /^line-token: --private-key: the key is a 1024-bit RSA key, but LINE needs at least 2048 bits/,
    );
    assert.doesNotMatch(stderr, /privateKey/);
  });
});

describe('line-token demo', () => {
  test('runs the shipped demo on the embedded emulator and passes on its exit code', async () => {
    const { code, stdout, stderr } = await runChild(['demo']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^line-token demo mode: no LINE_CHANNEL_ID in the environment/);
    assert.match(stdout, /ok: every promise of the manager held in this run/);
  });

  test('exits 2, as npm start does, on a configuration problem', async () => {
    const { code, stderr } = await runChild(['demo'], {
      env: { LINE_CHANNEL_ID: '1234567890', LINE_TOKEN_TYPE: 'no-such-type' },
    });
    assert.equal(code, 2);
    assert.match(stderr, /^line-token: [^\n]*LINE_TOKEN_TYPE/);
  });
});
