// `npm start` as users run it: the built entry point in a child process, in demo mode
// (no LINE_* variables) and in live mode against an emulator started here.
import assert from 'node:assert/strict';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { assertNoTokens, makeKeyPair, startDemo } from './helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

interface Row {
  event: string;
  token: number | undefined;
  live: number | undefined;
  detail: string;
}

// `day 0 18:46:33  refreshed  #2        2  detail...`
const ROW = /^day \d+ \d\d:\d\d:\d\d {2}(\S+) +(?:#(\d+))? +(\d+)? {2}(.*)$/;

function rowsOf(stdout: string): Row[] {
  return stdout.split('\n').flatMap((line) => {
    const m = ROW.exec(line);
    if (m === null) return [];
    return [
      {
        event: m[1] as string,
        token: m[2] === undefined ? undefined : Number(m[2]),
        live: m[3] === undefined ? undefined : Number(m[3]),
        detail: m[4] as string,
      },
    ];
  });
}

describe('npm start without LINE credentials: the demo', () => {
  let result: { code: number | string; stdout: string; stderr: string };
  before(async () => {
    const demo = startDemo();
    result = { code: await demo.exited, stdout: demo.stdout(), stderr: demo.stderr() };
  });

  test('says demo mode on its first line, ends ok with exit code 0 and nothing on stderr', () => {
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(
      result.stdout.split('\n')[0] as string,
      /^line-token demo mode: no LINE_CHANNEL_ID/,
    );
    assert.match(result.stdout, /\nok: every promise of the manager held in this run\n$/);
    // Not a terminal: no colour codes.
    assert.ok(!result.stdout.includes('\u001b['));
  });

  test('runs at least 3 rotations, each superseded token revoked, never more than 2 live', () => {
    const rows = rowsOf(result.stdout);
    const refreshed = rows.filter((r) => r.event === 'refreshed');
    assert.ok(refreshed.length >= 3, `only ${refreshed.length} rotations`);
    const issuedNumbers = rows
      .filter((r) => r.event === 'issued' || r.event === 'refreshed')
      .map((r) => r.token);
    assert.deepEqual(
      issuedNumbers,
      Array.from({ length: issuedNumbers.length }, (_, i) => i + 1),
    );
    const revoked = rows.filter((r) => r.event === 'revoked').map((r) => r.token);
    assert.deepEqual(
      revoked,
      issuedNumbers.slice(0, -1),
      'every superseded token, and only those, revoked in order',
    );
    for (const r of rows)
      assert.ok(r.live !== undefined && r.live >= 1 && r.live <= 2, JSON.stringify(r));
    assert.ok(
      rows.some((r) => r.live === 2),
      'a rotation shows the overlap of two tokens',
    );
    assert.ok(!rows.some((r) => r.event === 'error' || r.event === 'warning'));
  });

  test('every call is served and accepted; the summary agrees', () => {
    const calls = rowsOf(result.stdout).filter((r) => r.event === 'calls');
    assert.ok(calls.length > 10);
    let served = 0;
    for (const c of calls) {
      const m = /^(\d+) served, (\d+) accepted/.exec(c.detail);
      assert.ok(m !== null, c.detail);
      assert.equal(m[1], m[2]);
      served += Number(m[1]);
    }
    const rotations = rowsOf(result.stdout).filter((r) => r.event === 'refreshed').length;
    assert.match(
      result.stdout,
      new RegExp(`rotations +${rotations} \\(${rotations + 1} tokens issued\\)`),
    );
    assert.match(
      result.stdout,
      new RegExp(`issue requests +${rotations + 1} received by the emulator, one per token`),
    );
    assert.match(
      result.stdout,
      new RegExp(`revocations +${rotations} of ${rotations} superseded tokens`),
    );
    assert.match(result.stdout, /max live tokens +2 at once/);
    assert.match(result.stdout, new RegExp(`calls served +${served}, all accepted`));
    assert.match(result.stdout, /expired tokens served +0\n/);
  });

  test('prints no token and no private key', () => {
    assertNoTokens(result.stdout + result.stderr);
    assert.ok(!/"d"\s*:/.test(result.stdout));
  });
});

test('a reader that stops early (npm start | head -1) ends the demo quietly, exit 0', async () => {
  const demo = startDemo();
  await demo.waitForStdout(/demo mode/);
  demo.child.stdout.destroy();
  assert.equal(await demo.exited, 0, demo.stderr());
  assert.equal(demo.stderr(), '');
});

describe('npm start with LINE credentials: live mode', () => {
  let emulator: Emulator;
  const dir = tempDirFor(suiteScope(), 'line-token-demo-');
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  const v21Env = async (): Promise<{ env: Record<string, string>; channelId: string }> => {
    const channel = await emulator.admin.createChannel();
    const { privateJwkText, publicJwk } = makeKeyPair();
    const { kid } = await emulator.admin.registerKey(channel.id, publicJwk);
    const keyPath = join(dir, `${channel.id}.jwk.json`);
    await writeFile(keyPath, privateJwkText);
    await chmod(keyPath, 0o600);
    return {
      channelId: channel.id,
      env: {
        LINE_CHANNEL_ID: channel.id,
        LINE_CHANNEL_SECRET: channel.secret,
        LINE_ASSERTION_KID: kid,
        LINE_ASSERTION_PRIVATE_KEY: keyPath,
        LINE_API_BASE_URL: emulator.url,
      },
    };
  };

  test('keeps a v2.1 token, and on SIGTERM revokes it and exits 0', async () => {
    const { env, channelId } = await v21Env();
    const demo = startDemo(env);
    await demo.waitForStdout(/ status {5}valid v2\.1 token/);
    const live = await emulator.admin.listTokens(channelId);
    assert.equal(live.length, 1);
    assert.equal(live[0]?.family, 'v2.1');
    demo.child.kill('SIGTERM');
    assert.equal(await demo.exited, 0, demo.stderr());
    assert.deepEqual(await emulator.admin.listTokens(channelId), []);
    const out = demo.stdout();
    assert.match(out.split('\n')[0] as string, /^line-token live mode: LINE_CHANNEL_ID is set/);
    assert.match(out, /keeping a v2\.1 token for channel \d+ fresh at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, / issued {5}key_id \S+…, expires /);
    assert.match(out, / revoked {4}the current v2\.1 token .*so none is left live/);
    assert.match(out, /\n {2}stopped\n$/);
    assert.equal(demo.stderr(), '');
    assertNoTokens(out + demo.stderr(), [
      live[0]?.accessToken ?? '',
      env['LINE_CHANNEL_SECRET'] ?? '',
    ]);
  });

  test('a configuration problem: one line on stderr, exit 2, nothing sent', async () => {
    const channel = await emulator.admin.createChannel();
    const before = (await emulator.admin.stats()).requests;
    const demo = startDemo({ LINE_CHANNEL_ID: channel.id, LINE_API_BASE_URL: emulator.url });
    assert.equal(await demo.exited, 2);
    const lines = demo.stderr().trimEnd().split('\n');
    assert.equal(lines.length, 1);
    assert.match(
      lines[0] as string,
      /^line-token: LINE_CHANNEL_ID is set, so npm start runs in live mode, but no credentials are/,
    );
    assert.deepEqual((await emulator.admin.stats()).requests, before);
  });

  test('LINE refusing the credentials: one line on stderr, exit 1, no secret shown', async () => {
    const channel = await emulator.admin.createChannel();
    const wrong = 'ffffffffffffffffffffffffffffffff';
    const demo = startDemo({
      LINE_CHANNEL_ID: channel.id,
      LINE_CHANNEL_SECRET: wrong,
      LINE_API_BASE_URL: emulator.url,
    });
    assert.equal(await demo.exited, 1);
    const lines = demo.stderr().trimEnd().split('\n');
    assert.equal(lines.length, 1, demo.stderr());
    assert.match(
      lines[0] as string,
      /^line-token: no valid stateless token for channel \d+: LINE answered issueStateless with HTTP 400/,
    );
    assert.ok(!(demo.stdout() + demo.stderr()).includes(wrong));
    assert.ok(!(demo.stdout() + demo.stderr()).includes(channel.secret));
  });
});
