// `line-token token --store PATH` with a store it cannot use: the built
// CLI as a child process against the emulator. It must exit 2 with one line naming the
// path and the reason before issuing anything — a one-shot command that kept no token would
// issue a fresh v2.1 token on every run, and a cron job would fill the channel's 30 slots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { keyedEmulator, runChild } from './helpers.js';
import { suiteScope } from '../fixtures.js';

const CHANNEL = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';

let emu: Emulator;
let dir: string;
let env: Record<string, string>;

// The emulator and the key file's folder, gone after the file's last test.
const suite = suiteScope();
before(async () => {
  ({ emu, dir, env } = await keyedEmulator(suite, CHANNEL, SECRET));
});

const liveTokens = async (): Promise<number> => (await emu.admin.listTokens(CHANNEL)).length;

describe('token --store with a store it cannot use', () => {
  test('five runs with --store /dev/null/tokens.json each exit 2 and the channel holds no new token', async () => {
    const before = await liveTokens();
    const issuesBefore = (await emu.admin.stats()).requests['issueV21'] ?? 0;
    for (let run = 1; run <= 5; run++) {
      const { code, stdout, stderr } = await runChild(
        ['token', '--type', 'v2.1', '--store', '/dev/null/tokens.json', '--base-url', emu.url],
        { env },
      );
      assert.equal(code, 2, `run ${run}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(stderr, /^line-token: [^\n]+\n$/, `run ${run}: one line`);
      assert.match(
        stderr,
        /--store "\/dev\/null\/tokens\.json" cannot be used: a part of the path is a file, not a folder \(ENOTDIR\); nothing was issued/,
      );
    }
    assert.equal(await liveTokens(), before, 'the channel holds no new v2.1 token');
    assert.equal(
      (await emu.admin.stats()).requests['issueV21'] ?? 0,
      issuesBefore,
      'LINE was never asked',
    );
  });

  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    [
      'a folder',
      async () => {
        const folder = join(dir, 'a-folder');
        await mkdir(folder, { recursive: true });
        return folder;
      },
      /it is a folder, not a file/,
    ],
    [
      'a path under a file',
      async () => {
        const file = join(dir, 'plain-file');
        await writeFile(file, 'x');
        return join(file, 'tokens.json');
      },
      /a part of the path is a file, not a folder \(ENOTDIR\)/,
    ],
    [
      '/proc/version (readable, but not a token store)',
      async () => '/proc/version',
      /it is not a token store file/,
    ],
    [
      'a file in /proc',
      async () => '/proc/line-token-tokens.json',
      /cannot be used: its folder takes no new file: no file can be created there \(ENOENT\)/,
    ],
    [
      'a file in a folder /proc cannot hold',
      async () => '/proc/line-token/tokens.json',
      /cannot be used: its folder cannot be created: [^\n]*\(ENOENT\)/,
    ],
  ];
  for (const [what, makePath, reason] of cases) {
    test(`refuses ${what} before asking LINE`, async () => {
      const path = await makePath();
      const issuesBefore = (await emu.admin.stats()).requests['issueShortLived'] ?? 0;
      const { code, stdout, stderr } = await runChild(
        ['token', '--type', 'short-lived', '--store', path, '--base-url', emu.url],
        { env },
      );
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, /^line-token: [^\n]+\n$/);
      assert.ok(stderr.includes(`--store "${path}" cannot be used`), stderr);
      assert.match(stderr, reason);
      assert.equal((await emu.admin.stats()).requests['issueShortLived'] ?? 0, issuesBefore);
    });
  }

  test('three runs with a 230-character file name each exit 2 and issue nothing', async () => {
    // The name fits in 255 bytes; the store's temporary file beside it does not.
    const path = join(dir, `${'t'.repeat(225)}.json`);
    const before = await liveTokens();
    for (let run = 1; run <= 3; run++) {
      const { code, stdout, stderr } = await runChild(
        ['token', '--type', 'v2.1', '--store', path, '--base-url', emu.url],
        { env },
      );
      assert.equal(code, 2, `run ${run}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(
        stderr,
        /cannot be used: its folder takes no new file: the file name is too long .*\(ENAMETOOLONG\); nothing was issued/,
      );
    }
    assert.equal(await liveTokens(), before);
  });

  test('refuses a file that is not a token store (.env, the key file) and leaves it as it was', async () => {
    const dotEnv = join(dir, 'project', '.env');
    await mkdir(join(dir, 'project'), { recursive: true });
    const envText = `LINE_CHANNEL_ID=${CHANNEL}\nLINE_CHANNEL_SECRET=${SECRET}\n`;
    await writeFile(dotEnv, envText);
    for (const [path, text] of [
      [dotEnv, envText],
      [
        env['LINE_ASSERTION_PRIVATE_KEY']!,
        await readFile(env['LINE_ASSERTION_PRIVATE_KEY']!, 'utf8'),
      ],
    ] as const) {
      const issuesBefore = (await emu.admin.stats()).requests['issueV21'] ?? 0;
      const { code, stdout, stderr } = await runChild(
        ['token', '--type', 'v2.1', '--store', path, '--base-url', emu.url],
        { env },
      );
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      assert.match(stderr, /^line-token: [^\n]+\n$/);
      assert.match(
        stderr,
        /cannot be used: it is not a token store file \(not the JSON this command writes\); it was left as it is; nothing was issued/,
      );
      assert.ok(!stderr.includes(SECRET), 'the file content is never quoted');
      assert.equal(await readFile(path, 'utf8'), text, 'the file is unchanged');
      assert.equal((await emu.admin.stats()).requests['issueV21'] ?? 0, issuesBefore);
    }
    const siblings = await readdir(join(dir, 'project'));
    assert.deepEqual(siblings, ['.env'], 'nothing moved aside, no lock folder left');
  });

  test('still works with a usable store whose folder does not exist yet', async () => {
    const path = join(dir, 'new', 'folder', 'tokens.json');
    const { code, stdout, stderr } = await runChild(
      ['token', '--type', 'short-lived', '--store', path, '--base-url', emu.url],
      { env },
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^\S+\n$/);
  });
});

describe('token --store on a full disk', () => {
  let mountPoint: string | undefined;
  let skip: string | undefined;

  before(async () => {
    mountPoint = join(dir, 'tiny-tmpfs');
    await mkdir(mountPoint);
    try {
      // A real file system that runs out of space: 64 KiB of tmpfs, then filled.
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], {
        stdio: 'ignore',
      });
    } catch {
      skip = 'mounting a tmpfs needs root (CAP_SYS_ADMIN)';
      mountPoint = undefined;
      return;
    }
    const filler = join(mountPoint, 'filler');
    await writeFile(filler, '');
    const chunk = Buffer.alloc(1024, 1);
    for (;;) {
      try {
        await writeFile(filler, chunk, { flag: 'a' });
      } catch {
        break;
      }
    }
  });

  after(() => {
    if (mountPoint !== undefined) execFileSync('umount', [mountPoint]);
  });

  test('five runs each exit 2 naming ENOSPC and the channel holds no new token', async (t) => {
    if (skip !== undefined || mountPoint === undefined) return t.skip(skip);
    const before = await liveTokens();
    const issuesBefore = (await emu.admin.stats()).requests['issueV21'] ?? 0;
    const store = join(mountPoint, 'tokens.json');
    for (let run = 1; run <= 5; run++) {
      const { code, stdout, stderr } = await runChild(
        ['token', '--type', 'v2.1', '--store', store, '--base-url', emu.url],
        { env },
      );
      assert.equal(code, 2, `run ${run}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(
        stderr,
        /cannot be used: a test write of a token record failed: no space left on the device \(ENOSPC\); nothing was issued/,
      );
    }
    assert.equal(await liveTokens(), before);
    assert.equal((await emu.admin.stats()).requests['issueV21'] ?? 0, issuesBefore);
  });
});
