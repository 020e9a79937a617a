// `line-token revoke` without --type, as a user runs it (the built CLI as a child process)
// against the emulator: it must find a token's family as `verify` does, so a stateless
// token, which LINE cannot revoke, is never reported as revoked.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import { keyedEmulator, runChild, type RunResult } from '../helpers.js';
import { suiteScope } from '../../fixtures.js';

const CHANNEL = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';

let emu: Emulator;
let env: Record<string, string>;

const cli = (...args: string[]): Promise<RunResult> =>
  runChild([...args, '--base-url', emu.url], { env });

async function issue(type: string): Promise<string> {
  const { code, stdout, stderr } = await cli('issue', '-t', type);
  assert.equal(code, 0, stderr);
  return stdout.trim();
}

// The emulator and the key file's folder, gone after the file's last test.
const suite = suiteScope();
before(async () => {
  ({ emu, env } = await keyedEmulator(suite, CHANNEL, SECRET));
});

describe('revoke finds the family of a JWS-shaped token before revoking', () => {
  test('refuses a stateless token with exit 2, saying when it expires, and it stays valid', async () => {
    const token = await issue('stateless');
    const revoke = await cli('revoke', token);
    assert.equal(revoke.code, 2, revoke.stderr);
    assert.equal(revoke.stdout, '');
    assert.match(
      revoke.stderr,
      /^line-token: stateless tokens cannot be revoked \(LINE has no revoke for them\); this one stays valid until \d{4}-\S+ \(in 1[45] minutes\)/,
    );
    assert.ok(!revoke.stderr.includes(token), 'the token is never echoed');
    const verify = await cli('verify', token);
    assert.equal(verify.code, 0, 'nothing claimed to be revoked was revoked');
  });

  test('refuses --type stateless with exit 2 before asking LINE', async () => {
    const before = (await emu.admin.stats()).requests;
    const revoke = await cli('revoke', 'eyJhbGciOiJIUzI1NiJ9.e30.x', '--type', 'stateless');
    assert.equal(revoke.code, 2);
    assert.match(revoke.stderr, /stateless tokens cannot be revoked/);
    assert.deepEqual((await emu.admin.stats()).requests, before);
  });

  test('revokes a live v2.1 token, which verify then calls invalid', async () => {
    const token = await issue('v2.1');
    const revoke = await cli('revoke', token);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.match(revoke.stderr, /revoked the v2\.1 token \(LINE verified it as one\)/);
    const verify = await cli('verify', token);
    assert.equal(verify.code, 1, verify.stdout);
  });

  test('says there is nothing to revoke for a token LINE no longer knows, exit 0', async () => {
    const token = await issue('v2.1');
    assert.equal((await cli('revoke', token)).code, 0);
    const again = await cli('revoke', token);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stderr,
      /nothing to revoke: LINE knows no live v2\.1 or stateless token like it/,
    );
    const json = await cli('revoke', token, '--json');
    const out = JSON.parse(json.stdout) as Record<string, unknown>;
    assert.equal(out['revoked'], false);
    assert.equal(out['valid'], false);
  });
});
