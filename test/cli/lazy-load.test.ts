// One-shot paths load only what they need (issue 15, item 3): `line-token --version` and
// `--help` load no command module, no jose and no client. Counted with a module-loader hook
// in the real child process (fixtures/record-loads.mjs), not guessed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { CLI, runChild, runInProcess, tempDir } from './helpers.js';

const RECORDER = fileURLToPath(new URL('./fixtures/record-loads.mjs', import.meta.url));
let dir: string;

before(async () => {
  dir = await tempDir();
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The URLs of every module `line-token ...args` loads (the recorder's own excluded). */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const file = join(dir, `loads-${args.join('_').replace(/\W/g, '')}.txt`);
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', RECORDER, CLI, ...args],
      { env: { PATH: process.env['PATH'] ?? '', LOADS_FILE: file }, timeout: 60_000 },
      (error) => (error ? reject(error) : resolve()),
    );
  });
  const text = await readFile(file, 'utf8');
  return text.split('\n').filter((line) => line !== '' && !line.includes('record-loads'));
}

describe('lazy command loading', () => {
  for (const args of [['--version'], ['--help'], ['-V'], ['-h']]) {
    it(`line-token ${args.join(' ')} loads no command, no jose and no client`, async () => {
      const loaded = await modulesLoaded(args);
      const ours = loaded.filter((url) => url.includes('/dist/'));
      assert.ok(ours.length >= 2, 'the recorder saw the CLI load');
      assert.deepEqual(
        loaded.filter((url) => url.includes('/node_modules/')),
        [],
        'no package',
      );
      assert.deepEqual(
        ours.filter((url) => url.includes('/cli/commands/') && !url.endsWith('/index.js')),
        [],
      );
      assert.deepEqual(
        ours.filter((url) => /\/dist\/(client\/client|assertion|manager|emulator)/.test(url)),
        [],
      );
      // 89 modules before commands were loaded lazily (issue 15); the budget leaves room
      // for a few more small files, not for a library.
      assert.ok(loaded.length <= 30, `${loaded.length} modules:\n${loaded.join('\n')}`);
    });
  }

  for (const flag of ['--version', '-V']) {
    it(`line-token ${flag} is answered by the entry point alone, as the runner answers it`, async () => {
      const loaded = await modulesLoaded([flag]);
      assert.deepEqual(
        [
          ...new Set(
            loaded
              .filter((url) => url.includes('/dist/'))
              .map((url) => url.slice(url.indexOf('/dist/'))),
          ),
        ].sort(),
        ['/dist/cli/internal/version.js', '/dist/cli/main.js'],
      );
      const child = await runChild([flag]);
      const inProcess = await runInProcess([flag]);
      assert.equal(child.code, 0);
      assert.equal(child.stdout, inProcess.stdout);
      assert.match(child.stdout, /^\d+\.\d+\.\d+\n$/);
    });
  }

  it('a command loads its own module when it runs or shows its help', async () => {
    const loaded = await modulesLoaded(['kids', '--help']);
    assert.ok(loaded.some((url) => url.endsWith('/dist/cli/commands/kids.js')));
    assert.ok(!loaded.some((url) => url.endsWith('/dist/cli/commands/issue.js')));
  });

  it("the table's names and summaries match the loaded commands", async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      assert.equal(command.name, entry.name);
      assert.equal(command.summary, entry.summary, `summary of ${entry.name}`);
    }
  });
});
