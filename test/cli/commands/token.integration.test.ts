// `line-token token` as a user runs it (a child process of the built CLI) against the
// emulator: one issue into a 0600 store file, reuse without calling LINE, and a new issue
// once the stored token is inside its refresh window. Build first (see cli.test.ts).
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { FileTokenStore } from '../../../src/manager/stores/file-store.js';
import { runChild, type RunResult } from '../helpers.js';
import { suiteScope, tempDirFor } from '../../fixtures.js';

const CHANNEL = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';

let emu: Emulator;
const dir = tempDirFor(suiteScope(), 'line-token-cli-');
const secretsSeen: string[] = [SECRET];
const stderrSeen: string[] = [];

async function cli(args: string[], env: Record<string, string>): Promise<RunResult> {
  const result = await runChild([...args, '--base-url', emu.url], { env });
  stderrSeen.push(result.stderr);
  return result;
}

before(async () => {
  emu = await startEmulator({ channels: [{ id: CHANNEL, secret: SECRET }] });
});

after(async () => {
  await emu.close();
});

describe('token command', () => {
  const env = (): Record<string, string> => ({
    LINE_CHANNEL_ID: CHANNEL,
    LINE_CHANNEL_SECRET: SECRET,
  });
  let storeFile: string;
  let first: string;

  async function issueCount(): Promise<number> {
    return (await emu.admin.stats()).requests['issueShortLived'] ?? 0;
  }

  test('issues once into a 0600 store file, then reuses the stored token without calling LINE', async () => {
    storeFile = join(dir, 'store', 'tokens.json');
    const before = await issueCount();
    const a = await cli(['token', '-t', 'short-lived', '--store', storeFile], env());
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /^\S+\n$/);
    first = a.stdout.trim();
    secretsSeen.push(first);
    assert.match(a.stderr, /issued a new short-lived token; expires at \d{4}-\S+ \(in 30 days\)/);
    assert.equal((await stat(storeFile)).mode & 0o777, 0o600);
    assert.equal(await issueCount(), before + 1);

    const b = await cli(['token', '-t', 'short-lived', '--store', storeFile, '--json'], env());
    assert.equal(b.code, 0, b.stderr);
    const out = JSON.parse(b.stdout) as Record<string, unknown>;
    assert.equal(out['accessToken'], first);
    assert.equal(out['issued'], false);
    assert.equal(out['type'], 'short-lived');
    assert.equal(out['store'], storeFile);
    assert.equal(await issueCount(), before + 1, 'no second issue');
  });

  test('issues a new token when the stored one is inside its refresh window', async () => {
    // Put the stored token two minutes from expiry through the store's public API.
    const store = new FileTokenStore({ path: storeFile });
    const now = Date.now();
    const token = {
      accessToken: first,
      type: 'short-lived',
      issuedAt: now - 2_591_880_000,
      expiresAt: now + 120_000,
    };
    await store.set(`short-lived:${CHANNEL}`, token, 120_000);
    const before = await issueCount();
    const { code, stdout, stderr } = await cli(
      ['token', '-t', 'short-lived', '--store', storeFile],
      env(),
    );
    assert.equal(code, 0, stderr);
    const fresh = stdout.trim();
    secretsSeen.push(fresh);
    assert.notEqual(fresh, first);
    assert.match(stderr, /issued a new short-lived token/);
    assert.equal(await issueCount(), before + 1);
    const live = (await emu.admin.listTokens(CHANNEL)).map((t) => t.accessToken);
    assert.ok(live.includes(fresh));
  });

  test('never puts the secret or a token on stderr', () => {
    assert.equal(stderrSeen.length, 3);
    for (const secret of secretsSeen) {
      assert.equal(stderrSeen.join('\n').includes(secret), false);
    }
  });
});
