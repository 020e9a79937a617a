// `line-token token --verify` and `--refresh` as a user runs them (the built CLI as a child
// process) against the emulator: a stored token revoked elsewhere is replaced only when
// LINE is asked, and a forced refresh revokes the old token where the family allows it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import { keyedEmulator, runChild, type RunResult } from '../helpers.js';
import { suiteScope } from '../../fixtures.js';

const CHANNEL = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';

let emu: Emulator;
let dir: string;
let keyEnv: Record<string, string>;

function cli(args: string[], env: Record<string, string>): Promise<RunResult> {
  return runChild([...args, '--base-url', emu.url], { env });
}

async function token(args: string[], env: Record<string, string>): Promise<RunResult> {
  const result = await cli(['token', ...args], env);
  assert.equal(result.code, 0, result.stderr);
  if (!args.includes('--json')) assert.match(result.stdout, /^\S+\n$/);
  return result;
}

const isValid = async (t: string): Promise<boolean> => (await cli(['verify', t], {})).code === 0;
const issues = async (name: string): Promise<number> =>
  (await emu.admin.stats()).requests[name] ?? 0;

// The emulator and the key file's folder, gone after the file's last test.
const suite = suiteScope();
before(async () => {
  let env: Record<string, string>;
  ({ emu, dir, env } = await keyedEmulator(suite, CHANNEL, SECRET));
  // Assertion credentials only: the channel secret is given where a test means it.
  const { LINE_CHANNEL_SECRET: _secret, ...withoutSecret } = env;
  keyEnv = withoutSecret;
});

describe('token --verify', () => {
  test('replaces a stored v2.1 token revoked elsewhere, which plain token would print', async () => {
    const store = join(dir, 'verify', 'tokens.json');
    const args = ['-t', 'v2.1', '--store', store];
    const issued = await token(args, keyEnv);
    // A fresh token of the default 1-day lifetime reads as such, not as "in 23 hours".
    assert.match(issued.stderr, /issued a new v2\.1 token; expires at \S+ \(in 1 day\)/);
    const first = issued.stdout.trim();
    const revoke = await cli(['revoke', first], { ...keyEnv, LINE_CHANNEL_SECRET: SECRET });
    assert.equal(revoke.code, 0, revoke.stderr);

    // The store cannot know LINE revoked it: without --verify it is printed.
    const stale = await token(args, keyEnv);
    assert.equal(stale.stdout.trim(), first);

    const before = await issues('issueV21');
    const checked = await token([...args, '--verify'], keyEnv);
    const second = checked.stdout.trim();
    assert.notEqual(second, first);
    assert.match(
      checked.stderr,
      /the stored v2\.1 token was no longer valid \(LINE: [^)]+\); replaced it/,
    );
    assert.match(checked.stderr, /issued a new v2\.1 token/);
    assert.equal(await issues('issueV21'), before + 1);
    assert.ok(await isValid(second));

    // A valid stored token passes the check and is reused.
    const again = await token([...args, '--verify', '--json'], keyEnv);
    const out = JSON.parse(again.stdout) as Record<string, unknown>;
    assert.equal(out['accessToken'], second);
    assert.equal(out['issued'], false);
    assert.equal(out['replaced'], undefined);
    assert.equal(await issues('issueV21'), before + 1);
  });
});

describe('token --refresh', () => {
  test('issues a new v2.1 token and revokes the old one when the channel secret is given', async () => {
    const env = { ...keyEnv, LINE_CHANNEL_SECRET: SECRET };
    const store = join(dir, 'refresh', 'tokens.json');
    const args = ['-t', 'v2.1', '--store', store];
    const old = (await token(args, env)).stdout.trim();
    const refreshed = await token([...args, '--refresh', '--json'], env);
    const out = JSON.parse(refreshed.stdout) as Record<string, unknown>;
    assert.doesNotMatch(refreshed.stderr, /could not revoke/);
    assert.notEqual(out['accessToken'], old);
    assert.equal(out['issued'], true);
    assert.equal(out['replaced'], 'refresh');
    assert.equal(out['revokedOld'], true);
    assert.equal(await isValid(old), false, 'the old token is revoked');
    assert.equal(await isValid(String(out['accessToken'])), true);
    // The next plain run reuses the new one.
    assert.equal((await token(args, env)).stdout.trim(), out['accessToken']);
  });

  test('leaves the old v2.1 token to expire without the channel secret, and says why', async () => {
    const store = join(dir, 'refresh-nosecret', 'tokens.json');
    const args = ['-t', 'v2.1', '--store', store];
    const old = (await token(args, keyEnv)).stdout.trim();
    const refreshed = await token([...args, '--refresh'], keyEnv);
    assert.notEqual(refreshed.stdout.trim(), old);
    assert.match(
      refreshed.stderr,
      /replaced the stored token; the old one was left to expire \(revoking a v2\.1 token needs the channel secret: pass --channel-secret\)/,
    );
    assert.equal(await isValid(old), true);
  });

  test('replaces a stateless token and says the old one cannot be revoked', async () => {
    const env = { LINE_CHANNEL_ID: CHANNEL, LINE_CHANNEL_SECRET: SECRET };
    const store = join(dir, 'refresh-stateless', 'tokens.json');
    const args = ['-t', 'stateless', '--store', store];
    const old = (await token(args, env)).stdout.trim();
    const refreshed = await token([...args, '--refresh'], env);
    assert.notEqual(refreshed.stdout.trim(), old);
    assert.match(
      refreshed.stderr,
      /the old one was left to expire at \d{4}-\S+ \(in 1[45] minutes\) \(LINE cannot revoke stateless tokens\)/,
    );
  });

  test('issues only once when there was no stored token', async () => {
    const env = { LINE_CHANNEL_ID: CHANNEL, LINE_CHANNEL_SECRET: SECRET };
    const store = join(dir, 'refresh-empty', 'tokens.json');
    const before = await issues('issueShortLived');
    const result = await token(['-t', 'short-lived', '--store', store, '--refresh'], env);
    assert.doesNotMatch(result.stderr, /replaced/);
    assert.equal(await issues('issueShortLived'), before + 1);
  });
});
