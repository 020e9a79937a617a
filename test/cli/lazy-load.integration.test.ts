// One-shot paths load only what they need, to start fast: `line-token --version` loads no
// module but the launcher, and `--help` no command module, no jose and no client. Counted with a
// module-loader hook in the real child process (fixtures/record-loads.mjs), not guessed.
// The CLI is bundled (scripts/cli-bundle.mjs): the `bin` dist/cli/line-token.cjs, a
// CommonJS launcher, requires dist/cli/light.cjs for the light commands (`assertion`) and
// imports dist/cli/main.js for the rest, which loads chunks/ (each command's chunk named
// after it); jose and the client are bundled in, so they are found by their code.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { CLI, CLI_ES_ENTRY, CLI_LIGHT, runChild, runInProcess } from './helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const RECORDER = fileURLToPath(new URL('./fixtures/record-loads.mjs', import.meta.url));
const ASSERTION_ARGS = [
  'assertion',
  '--channel-id',
  '1573163733',
  '--kid',
  'k',
  '--private-key',
  fileURLToPath(new URL('../assertion/fixtures/seed-001-private.jwk.json', import.meta.url)),
];
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

/**
 * The URLs of every ES module `line-token ...args` loads (the recorder's own excluded),
 * started through `entry`: the `bin` by default.
 */
async function modulesLoaded(
  args: string[],
  entry = CLI,
  env: Record<string, string> = {},
): Promise<string[]> {
  const file = join(dir, `loads-${basename(entry)}-${args.join('_').replace(/\W/g, '')}.txt`);
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', RECORDER, entry, ...args],
      { env: { PATH: process.env['PATH'] ?? '', LOADS_FILE: file, ...env }, timeout: 60_000 },
      (error) => (error ? reject(error) : resolve()),
    );
  });
  // No file: the process loaded no ES module but the recorder.
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text.split('\n').filter((line) => line !== '' && !line.includes('record-loads'));
}

describe('lazy command loading', () => {
  for (const args of [['--version'], ['--help'], ['-V'], ['-h']]) {
    test(`line-token ${args.join(' ')} loads no command, no jose and no client`, async () => {
      const loaded = await modulesLoaded(args);
      const ours = loaded.filter((url) => url.includes('/dist/'));
      assert.ok(ours.length >= 1, 'the recorder saw the CLI load');
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

  test('the bin is the CommonJS launcher, and answers --version loading nothing else', async () => {
    const pkg = createRequire(import.meta.url)('../../package.json') as {
      version: string;
      bin: Record<string, string>;
    };
    assert.equal(fileURLToPath(new URL(`../../${pkg.bin['line-token']}`, import.meta.url)), CLI);
    for (const flag of ['--version', '-V']) {
      // With loader hooks present, Node runs even a CommonJS entry through the ES loader,
      // so the recorder sees the launcher itself, and nothing else.
      assert.deepEqual(
        [...new Set(await modulesLoaded([flag]))].map((url) => fileURLToPath(url)),
        [CLI],
        `${flag}: no other module`,
      );
      const child = await runChild([flag]);
      assert.equal(child.code, 0);
      assert.equal(child.stdout, `${pkg.version}\n`);
      assert.equal(child.stdout, (await runInProcess([flag])).stdout);
    }
    // Anything else goes to the ES entry.
    const help = (await modulesLoaded(['--help']))
      .filter((url) => url.startsWith('file:'))
      .map((url) => fileURLToPath(url));
    assert.deepEqual(help.slice(0, 2), [CLI, CLI_ES_ENTRY], help.join('\n'));
  });

  for (const flag of ['--version', '-V']) {
    test(`the ES entry answers ${flag} alone, as the runner answers it`, async () => {
      const loaded = [...new Set(await modulesLoaded([flag], CLI_ES_ENTRY))].filter((url) =>
        url.includes('/dist/'),
      );
      // main.js, and the one small chunk it shares with the runner: packageVersion().
      assert.equal(loaded.length, 2, loaded.join('\n'));
      assert.ok(loaded[0]!.endsWith('/dist/cli/main.js'));
      const chunk = await readFile(fileURLToPath(loaded[1]!), 'utf8');
      assert.match(chunk, /function packageVersion/);
      assert.ok(chunk.length < 2_000, `${basename(loaded[1]!)} is ${chunk.length} bytes`);
    });
  }

  test('line-token assertion runs from light.cjs, which holds no other command', async () => {
    const requires = join(dir, 'requires-assertion.txt');
    const loaded = (await modulesLoaded(ASSERTION_ARGS, CLI, { REQUIRES_FILE: requires }))
      .filter((url) => url.includes('/dist/'))
      .map((url) => fileURLToPath(url));
    // No ES chunk: the launcher itself and, where the hooks see require(), light.cjs.
    assert.deepEqual(
      loaded.filter((file) => file !== CLI && file !== CLI_LIGHT),
      [],
      loaded.join('\n'),
    );
    assert.ok((await readFile(requires, 'utf8')).split('\n').includes(CLI_LIGHT));
    const bundle = await readFile(CLI_LIGHT, 'utf8');
    const defined = [...bundle.matchAll(/\b(\w+)Command = \{/g)].map((m) => m[1]);
    assert.deepEqual(defined, ['assertion']);
    assert.ok(!bundle.includes('class ChannelAccessTokenClient'), 'no client');
    // With a flag before the command word the runner needs every command's flags: main.js.
    const flagFirst = await modulesLoaded(['--json', ...ASSERTION_ARGS]);
    assert.ok(flagFirst.some((url) => url.endsWith('/dist/cli/main.js')));
  });

  test('light.cjs refuses, loudly, a command it does not hold', async () => {
    // Only a launcher bug could send one there; it must not pass unnoticed. An unexpected
    // error's text is shown only in the debug report.
    const child = await runChild(['--json', 'kids'], {
      entry: CLI_LIGHT,
      env: { LINE_TOKEN_DEBUG: '1' },
    });
    assert.notEqual(child.code, 0);
    assert.match(child.stderr, /"code":"ERR_UNEXPECTED"/);
    assert.match(child.stderr, /internal error: the "\w+" command is not in light\.cjs/);
  });

  test("line-token assertion with a JWK file loads none of jose's key or JWS code", async () => {
    // jose's JWK export is needed only for a CryptoKey or KeyObject (key-input.ts), and
    // the command reads its own claims back without jose's decodeJwt. (A PEM key's members
    // are encoded with jose's base64url, a small chunk of its own.) Through the ES entry:
    // light.cjs is one file, where that code is bundled but never runs.
    const loaded = (await modulesLoaded(ASSERTION_ARGS, CLI_ES_ENTRY)).filter((url) =>
      url.startsWith('file:'),
    );
    assert.ok(
      loaded.some((url) => /\/assertion-\w+\.js$/.test(url)),
      loaded.join('\n'),
    );
    const heavy = /node_modules\/jose\/dist\/webapi\/(?:key|jws|jwt)\/|decode_jwt/;
    const withJoseKeys: string[] = [];
    for (const url of loaded) {
      if (heavy.test(await readFile(fileURLToPath(url), 'utf8'))) withJoseKeys.push(basename(url));
    }
    assert.deepEqual(withJoseKeys, []);
  });

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
