// One-shot paths load only what they need, to start fast: `line-token --version` and
// `--help` load no command module, no jose and no client. Counted with a module-loader hook
// in the real child process (fixtures/record-loads.mjs), not guessed. The CLI is bundled
// (scripts/cli-bundle.mjs): dist/cli/main.js and chunks/, each command's chunk named after
// it; jose and the client are bundled in, so they are found by their code, not their path.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { CLI, runChild, runInProcess } from './helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const RECORDER = fileURLToPath(new URL('./fixtures/record-loads.mjs', import.meta.url));
const dir = tempDirFor(suiteScope(), 'line-token-cli-');

const COMMAND_CHUNK = new RegExp(`^(${COMMANDS.map((c) => c.name).join('|')})-\\w+\\.js$`);
// Names that only jose's code and the client's carry, as esbuild keeps them.
const LIBRARY_MARKERS = ['class CompactSign', 'class ChannelAccessTokenClient', 'importJWK'];

/** The library code (jose, the client) found in the loaded files of our bundle. */
async function libraryCodeIn(urls: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const url of urls.filter((u) => u.includes('/dist/'))) {
    const text = await readFile(fileURLToPath(url), 'utf8');
    for (const marker of LIBRARY_MARKERS) {
      if (text.includes(marker)) found.push(`${basename(url)}: ${marker}`);
    }
  }
  return found;
}

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
    test(`line-token ${args.join(' ')} loads no command, no jose and no client`, async () => {
      const loaded = await modulesLoaded(args);
      const ours = loaded.filter((url) => url.includes('/dist/'));
      assert.ok(ours.length >= 2, 'the recorder saw the CLI load');
      assert.deepEqual(
        loaded.filter((url) => url.includes('/node_modules/')),
        [],
        'no package',
      );
      assert.deepEqual(
        ours.filter((url) => COMMAND_CHUNK.test(basename(url))),
        [],
        'no command chunk',
      );
      assert.deepEqual(await libraryCodeIn(ours), [], 'no jose, no client');
      // 89 modules before commands were loaded lazily; the budget leaves room
      // for a few more small files, not for a library.
      assert.ok(loaded.length <= 30, `${loaded.length} modules:\n${loaded.join('\n')}`);
    });
  }

  for (const flag of ['--version', '-V']) {
    test(`line-token ${flag} is answered by the entry point alone, as the runner answers it`, async () => {
      const loaded = [...new Set(await modulesLoaded([flag]))].filter((url) =>
        url.includes('/dist/'),
      );
      // main.js, and the one small chunk it shares with the runner: packageVersion().
      assert.equal(loaded.length, 2, loaded.join('\n'));
      assert.ok(loaded[0]!.endsWith('/dist/cli/main.js'));
      const chunk = await readFile(fileURLToPath(loaded[1]!), 'utf8');
      assert.match(chunk, /function packageVersion/);
      assert.ok(chunk.length < 2_000, `${basename(loaded[1]!)} is ${chunk.length} bytes`);
      const child = await runChild([flag]);
      const inProcess = await runInProcess([flag]);
      assert.equal(child.code, 0);
      assert.equal(child.stdout, inProcess.stdout);
      assert.match(child.stdout, /^\d+\.\d+\.\d+\n$/);
    });
  }

  test('a command loads its own module when it runs or shows its help', async () => {
    const chunks = (await modulesLoaded(['kids', '--help'])).map((url) => basename(url));
    assert.ok(
      chunks.some((name) => /^kids-\w+\.js$/.test(name)),
      chunks.join('\n'),
    );
    assert.ok(!chunks.some((name) => /^issue-\w+\.js$/.test(name)), chunks.join('\n'));
  });

  test("the table's names and summaries match the loaded commands", async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      assert.equal(command.name, entry.name);
      assert.equal(command.summary, entry.summary, `summary of ${entry.name}`);
    }
  });
});
