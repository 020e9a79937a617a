// Errors a person can act on: --json errors as one object on stderr with
// the exit code unchanged, "did you mean", durations, flag names instead of library option
// names, revoke naming the family it guessed, and a hint for "Invalid signature".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { withFlagNames } from '../../src/cli/exit-code.js';
import {
  decodeSegment,
  makeTestKey,
  runChild,
  runInProcess,
  writeKeyFile,
  type TestKey,
} from './helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const CHANNEL = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';

let emu: Emulator;
const dir = tempDirFor(suiteScope(), 'line-token-cli-');
let key: TestKey;

before(async () => {
  emu = await startEmulator({ channels: [{ id: CHANNEL, secret: SECRET }] });
  key = makeTestKey();
});

after(async () => {
  await emu.close();
});

interface JsonError {
  error: { code: string; message: string; hint: string | null; requestId: string | null };
}

function parseJsonError(stderr: string): JsonError {
  assert.match(stderr, /^\{[^\n]+\}\n$/, 'one JSON object on one line');
  const parsed = JSON.parse(stderr) as JsonError;
  assert.deepEqual(Object.keys(parsed), ['error']);
  assert.deepEqual(Object.keys(parsed.error), ['code', 'message', 'hint', 'requestId']);
  return parsed;
}

describe('--json errors', () => {
  test('a usage error is one JSON object on stderr, exit 2, nothing on stdout', async () => {
    const { code, stdout, stderr } = await runChild(['issue', '--type', 'v2.1', '--json']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    const { error } = parseJsonError(stderr);
    assert.equal(error.code, 'ERR_LINE_INVALID_ARGUMENT');
    assert.match(error.message, /missing channel ID .*pass --channel-id or set LINE_CHANNEL_ID/);
    assert.equal(error.hint, null);
    assert.equal(error.requestId, null);
  });

  test("LINE's refusal keeps exit 3 and carries the hint and the request id", async () => {
    const { code, stdout, stderr } = await runChild(
      ['issue', '-t', 'short-lived', '-c', CHANNEL, '--json', '--base-url', emu.url],
      { env: { LINE_CHANNEL_SECRET: 'ffffffffffffffffffffffffffffffff' } },
    );
    assert.equal(code, 3);
    assert.equal(stdout, '');
    const { error } = parseJsonError(stderr);
    assert.equal(error.code, 'ERR_LINE_API');
    assert.match(error.message, /LINE answered issueShortLived with HTTP 400/);
    assert.equal(error.hint, 'check the channel secret');
    assert.ok(error.requestId === null || /^\S+$/.test(error.requestId));
  });
});

describe('did you mean', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a mistyped command', ['isue'], /unknown command "isue"; did you mean "issue"\?/],
    ['swapped letters', ['verfiy', 'x'], /unknown command "verfiy"; did you mean "verify"\?/],
    [
      'a mistyped flag',
      ['issue', '--chanel-id', '1'],
      /unknown option --chanel-id for "issue"; did you mean --channel-id\?/,
    ],
    [
      'a mistyped flag with an inline value',
      ['issue', '--tpye=v2.1'],
      /unknown option --tpye for "issue"; did you mean --type\?/,
    ],
    [
      'a word far from any command',
      ['frobnicate'],
      /unknown command "frobnicate"; run "line-token --help" for the list/,
    ],
  ];
  for (const [what, args, pattern] of cases) {
    test(`suggests for ${what}`, async () => {
      const { code, stdout, stderr } = await runInProcess(args);
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, /^line-token: [^\n]+\n$/);
      assert.match(stderr, pattern);
    });
  }

  test('never quotes or suggests for a value that is not a command-like word', async () => {
    const secret = 'Zq8/secret+VALUE==with-odd-chars_123';
    const { code, stderr } = await runInProcess([secret]);
    assert.equal(code, 2);
    assert.ok(!stderr.includes(secret));
    assert.doesNotMatch(stderr, /did you mean/);
  });
});

describe('durations', () => {
  for (const [raw, seconds] of [
    ['86400', 86_400],
    ['1d', 86_400],
    ['12h', 43_200],
    ['30m', 1_800],
    ['45s', 45],
    ['30d', 2_592_000],
  ] as const) {
    test(`--token-exp ${raw} is ${seconds} seconds in the assertion`, async () => {
      const { code, stdout, stderr } = await runInProcess(
        ['assertion', '-c', '1', '-k', 'kid', '--token-exp', raw],
        { env: { LINE_ASSERTION_PRIVATE_KEY: key.privateJwkText } },
      );
      assert.equal(code, 0, stderr);
      assert.equal(decodeSegment(stdout.trim().split('.')[1])['token_exp'], seconds);
    });
  }
  for (const raw of ['31d', '0', '1w', '1.5h', '-1d', '12 h']) {
    test(`refuses --token-exp ${JSON.stringify(raw)} with one line`, async () => {
      const { code, stderr } = await runInProcess(
        ['assertion', '-c', '1', '-k', 'k', `--token-exp=${raw}`],
        {
          env: { LINE_ASSERTION_PRIVATE_KEY: key.privateJwkText },
        },
      );
      assert.equal(code, 2);
      assert.match(
        stderr,
        /^line-token: --token-exp must be a duration from 1 s to 2592000 s: seconds \(86400\) or a number with s, m, h or d \(30m, 12h, 1d\)/,
      );
    });
  }
});

describe('messages name flags, not library options', () => {
  test('turns "channelId" option into --channel-id', () => {
    assert.equal(
      withFlagNames('"channelId" option must be a non-empty string; "tokenExpSec" too'),
      '--channel-id must be a non-empty string; --token-exp too',
    );
    assert.equal(withFlagNames('unknown command "issue"'), 'unknown command "issue"');
    const shape = 'pass {"privateKey": {...}, "publicKey": {...}}';
    assert.equal(withFlagNames(shape), shape, 'JSON member names stay');
  });
});

describe('a library refusal reaches the user with the flag name', () => {
  test('a channel ID with a space names --channel-id, not "channelId"', async () => {
    const { code, stderr } = await runInProcess(
      ['issue', '-t', 'short-lived', '-c', '12 34', '--base-url', emu.url],
      { env: { LINE_CHANNEL_SECRET: SECRET } },
    );
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^line-token: issueShortLived: --channel-id must not contain whitespace/);
    assert.doesNotMatch(stderr, /channelId/);
  });
});

describe('revoke without --type', () => {
  test('names the family it guessed: v2.1 for a JWS, "short-lived or long-lived" otherwise', async () => {
    const shortLived = await runChild(
      ['issue', '-t', 'short-lived', '-c', CHANNEL, '--base-url', emu.url],
      {
        env: { LINE_CHANNEL_SECRET: SECRET },
      },
    );
    assert.equal(shortLived.code, 0, shortLived.stderr);
    const revoked = await runChild(['revoke', '-', '--base-url', emu.url], {
      stdin: shortLived.stdout,
    });
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(
      revoked.stderr,
      /revoked the short-lived or long-lived token \(guessed: it is not JWS-shaped; pass --type to choose\)/,
    );
    const typed = await runChild(['revoke', '-', '--type', 'long-lived', '--base-url', emu.url], {
      stdin: shortLived.stdout,
    });
    assert.match(typed.stderr, /revoked the long-lived token;/);
  });

  test('says LINE verified a JWS-shaped token as v2.1 before revoking it', async () => {
    const keyFile = await writeKeyFile(dir, 'v21.jwk.json', key.privateJwkText, 0o600);
    const { kid } = await emu.admin.registerKey(CHANNEL, key.publicJwk);
    const env = {
      LINE_CHANNEL_ID: CHANNEL,
      LINE_CHANNEL_SECRET: SECRET,
      LINE_ASSERTION_KID: kid,
      LINE_ASSERTION_PRIVATE_KEY: keyFile,
    };
    const issued = await runChild(
      ['issue', '-t', 'v2.1', '--token-exp', '1h', '--base-url', emu.url],
      { env },
    );
    assert.equal(issued.code, 0, issued.stderr);
    const revoked = await runChild(['revoke', '-', '--base-url', emu.url], {
      env,
      stdin: issued.stdout,
    });
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stderr, /revoked the v2\.1 token \(LINE verified it as one\)/);
  });
});

describe('a wrong key for a kid', () => {
  test('"Invalid signature" gets a hint, exit 3', async () => {
    const registered = makeTestKey();
    const { kid } = await emu.admin.registerKey(CHANNEL, registered.publicJwk);
    const other = await writeKeyFile(dir, 'other.pem', key.privatePem, 0o600);
    const { code, stdout, stderr } = await runChild([
      'issue',
      '-t',
      'v2.1',
      '-c',
      CHANNEL,
      '--kid',
      kid,
      '--private-key',
      other,
      '--base-url',
      emu.url,
    ]);
    assert.equal(code, 3, stderr);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      /Invalid signature \(the private key does not match the kid: check that --kid/,
    );
  });
});
