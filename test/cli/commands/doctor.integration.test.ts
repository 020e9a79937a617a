// `line-token doctor` as users run it: the built CLI in a child process against the
// emulator (build first: `npm run build`), plus a few in-process runs for the paths that
// need no process (usage errors, stdin). The library's checks are covered one by one in
// test/diagnose/diagnose.test.ts; here: file checks, exit codes, text and --json.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { makeTestKey, runChild, runInProcess, writeKeyFile, type TestKey } from '../helpers.js';
import { suiteScope, tempDirFor } from '../../fixtures.js';

let emu: Emulator;
let key: TestKey;
let channel: { id: string; secret: string; kid: string };
const dir = tempDirFor(suiteScope(), 'line-token-cli-');
let keyFile: string;

before(async () => {
  emu = await startEmulator({ rateLimit: false });
  key = makeTestKey();
  const { id, secret } = await emu.admin.createChannel();
  const { kid } = await emu.admin.registerKey(id, key.publicJwk);
  channel = { id, secret, kid };
  keyFile = await writeKeyFile(dir, 'key.json', key.privateJwkText, 0o600);
});
after(async () => {
  await emu.close();
});

/** The credentials as a user exports them. */
function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    LINE_CHANNEL_ID: channel.id,
    LINE_CHANNEL_SECRET: channel.secret,
    LINE_ASSERTION_KID: channel.kid,
    LINE_ASSERTION_PRIVATE_KEY: keyFile,
    LINE_API_BASE_URL: emu.url,
    ...overrides,
  };
}

/** Nothing the CLI printed holds the secret, the private exponent or `token`. */
function assertNoSecrets(output: string, token?: string): void {
  assert.ok(!output.includes(channel.secret), 'the channel secret was printed');
  const d = (JSON.parse(key.privateJwkText) as { d: string }).d;
  assert.ok(!output.includes(d), 'the private key was printed');
  if (token !== undefined) assert.ok(!output.includes(token), 'the token was printed');
}

async function issueCounts() {
  const { requests } = await emu.admin.stats();
  return [requests['issueV21'] ?? 0, requests['issueShortLived'] ?? 0];
}

describe('line-token doctor (child process)', () => {
  test('all ✓ with a token from stdin and the store `line-token token` wrote: exit 0', async () => {
    const store = join(dir, 'tokens.json');
    const issued = await runChild(
      ['token', '--type', 'v2.1', '--token-exp', '3600', '--store', store],
      {
        env: env(),
      },
    );
    assert.equal(issued.code, 0, issued.stderr);
    const token = issued.stdout.trim();
    const counts = await issueCounts();
    const r = await runChild(['doctor', '--token', '-', '--store', store], {
      env: env(),
      stdin: token,
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(await issueCounts(), counts, 'doctor issued a counted token');
    assert.doesNotMatch(r.stdout, /✗/);
    assert.match(r.stdout, /✓ key file permissions +mode 0600/);
    assert.match(
      r.stdout,
      /✓ v2\.1 token slots +1 of 30 live v2\.1 tokens; the store holds 1 of them/,
    );
    assert.match(
      r.stdout,
      /✓ token +a live v2\.1 token of channel \d+; it expires in (59 minutes|1 hour)$/m,
    );
    assert.match(r.stdout, /all 11 checks passed$/m);
    assertNoSecrets(r.stdout + r.stderr, token);
  });

  test('a key file readable by others: ✗ with the chmod fix, exit 1, nothing else fails', async () => {
    const loose = await writeKeyFile(dir, 'loose.json', key.privateJwkText, 0o644);
    const r = await runChild(['doctor'], { env: env({ LINE_ASSERTION_PRIVATE_KEY: loose }) });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const failures = r.stdout.split('\n').filter((l) => l.startsWith('✗'));
    assert.equal(failures.length, 1, r.stdout);
    assert.equal(
      failures[0]?.replace(/ +/g, ' '),
      `✗ key file permissions ${loose} is readable by others (mode 0644)`,
    );
    assert.match(r.stdout, new RegExp(`fix: chmod 600 "${loose}"`));
    assert.match(r.stdout, /1 of \d+ checks failed$/m);
    assertNoSecrets(r.stdout + r.stderr);
  });

  test('--json prints the checklist as data', async () => {
    const r = await runChild(['doctor', '--json', '--kid', 'not-a-registered-kid'], { env: env() });
    assert.equal(r.code, 1, r.stderr);
    const data = JSON.parse(r.stdout) as {
      ok: boolean;
      unreachable: boolean;
      checks: Array<{ id: string; status: string; fix?: string; data?: { publicJwk?: unknown } }>;
    };
    assert.equal(data.ok, false);
    assert.equal(data.unreachable, false);
    const failed = data.checks.filter((c) => c.status === 'fail');
    assert.deepEqual(
      failed.map((c) => c.id),
      ['kid'],
    );
    // Public only: what the Console takes, and no private member.
    assert.deepEqual(failed[0]?.data?.publicJwk, key.publicJwk);
    assertNoSecrets(r.stdout + r.stderr);
  });

  test('an unreachable base URL: the checklist, then exit 3', async () => {
    const url = emu.url.replace(/:\d+$/, ':1');
    const r = await runChild(['doctor', '--base-url', url], { env: env() });
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /✗ LINE reachable +cannot reach http:\/\/127\.0\.0\.1:1/);
    assert.match(r.stderr, /could not reach the LINE API/);
  });
});

describe('line-token doctor (in process)', () => {
  test('without a channel id: usage error, exit 2', async () => {
    const r = await runInProcess(['doctor'], { env: { LINE_API_BASE_URL: emu.url } });
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /missing channel ID \(the channel to diagnose\): pass --channel-id or set LINE_CHANNEL_ID/,
    );
  });

  test('a missing key file is a finding, not a crash', async () => {
    const r = await runInProcess(['doctor'], {
      env: env({ LINE_ASSERTION_PRIVATE_KEY: join(dir, 'nope.json') }),
    });
    assert.equal(r.code, 1);
    assert.match(
      r.stdout,
      /✗ private key file +LINE_ASSERTION_PRIVATE_KEY: cannot read private key file .*nope\.json": no such file \(ENOENT\)/,
    );
  });

  test('a store file that is not one is a finding', async () => {
    const bad = await writeKeyFile(dir, 'not-a-store.json', '{"hello": 1}', 0o600);
    const r = await runInProcess(['doctor', '--store', bad], { env: env() });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /✗ token store file +.*not-a-store\.json is not a token store file/);
  });
});
