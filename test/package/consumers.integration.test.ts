// Installs the packed tarball into a fresh project, as `npm install line-token` would, and
// checks that every kind of consumer resolves it: plain ESM and CommonJS at run time, and
// TypeScript under each module setting people use, type-checked with skipLibCheck off so our
// own declaration files are checked too. Each consumer then calls the client against the
// emulator, so a build that type-checks but fails to load is caught as well.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = join(root, 'node_modules/typescript/bin/tsc');
const CHANNEL = { id: '1234567890', secret: 'consumer-secret' };

// ESM and CommonJS alike resolve the package's `#transport` and `#signing` to Node's own.
const NODE_PATHS = 'node:http node:crypto';
/** Prints which transport and signing back end the package gave (plain JS: ESM and CJS). */
const pathsLine = `
const key = await importPrivateKey((await generateKeyPair()).privateJwk);
const paths = [client, key].map((o, i) => o[Symbol.for(i ? 'line-token.signing' : 'line-token.transport')]);
console.log(...paths);
`;

const work = tempDirFor(suiteScope(), 'line-token-consumers-');
let emu: Emulator;

before(async () => {
  // dist/ is fresh: `npm test` builds first. --ignore-scripts keeps pack from building again.
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: root });
  const tarball = (await readdir(work)).find((name) => name.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  await writeFile(join(work, 'package.json'), JSON.stringify({ private: true }));
  const install = await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', join(work, tarball)],
    { cwd: work },
  );
  // npm warns about packages that run scripts on install; ours must not be one.
  assert.doesNotMatch(install.stderr, /line-token@[^ ]+ \(/, 'no install script of ours runs');
  emu = await startEmulator({ channels: [CHANNEL], rateLimit: false });
});

after(async () => {
  await emu?.close();
});

/** Issues and verifies a short-lived token; prints `ok <seconds left>`. Same code in every form. */
const body = `
const client = new ChannelAccessTokenClient({ baseUrl: process.env.EMULATOR_URL });
const { accessToken } = await client.issueShortLived({ channelId: '${CHANNEL.id}', channelSecret: '${CHANNEL.secret}' });
const verified = await client.verify({ accessToken });
try {
  await client.verify({ accessToken: 'not-a-token' });
} catch (err) {
  if (!(err instanceof LineApiError) || err.code !== 'ERR_LINE_API') throw err;
}
console.log('ok', verified.clientId, typeof FileTokenStore, typeof startEmulator);
`;

async function runNode(file: string): Promise<string> {
  const { stdout } = await run(process.execPath, [file], {
    cwd: work,
    env: { ...process.env, EMULATOR_URL: emu.url },
  });
  return stdout.trim();
}

test('ESM: import from an .mjs file', async () => {
  await writeFile(
    join(work, 'esm.mjs'),
    `import { ChannelAccessTokenClient, LineApiError, generateKeyPair, importPrivateKey } from 'line-token';
import { FileTokenStore } from 'line-token/file-store';
import { startEmulator } from 'line-token/emulator';
${body}${pathsLine}`,
  );
  assert.equal(await runNode('esm.mjs'), `ok ${CHANNEL.id} function function\n${NODE_PATHS}`);
});

test('CommonJS: require from a .cjs file', async () => {
  await writeFile(
    join(work, 'cjs.cjs'),
    `const { ChannelAccessTokenClient, LineApiError, generateKeyPair, importPrivateKey } = require('line-token');
const { FileTokenStore } = require('line-token/file-store');
const { startEmulator } = require('line-token/emulator');
require('line-token/redis');
(async () => {${body}${pathsLine}})().catch((err) => { console.error(err); process.exitCode = 1; });`,
  );
  assert.equal(await runNode('cjs.cjs'), `ok ${CHANNEL.id} function function\n${NODE_PATHS}`);
});

test('the installed line-token command runs from node_modules/.bin (the bundled CLI and its chunks)', async () => {
  const bin = join(work, 'node_modules/.bin/line-token');
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  assert.equal((await run(bin, ['--version'], { cwd: work })).stdout, `${version}\n`);
  // A command's chunk, with the client and jose bundled in, against the emulator.
  const issued = await run(
    bin,
    ['issue', '--type', 'short-lived', '--channel-id', CHANNEL.id, '--json'],
    {
      cwd: work,
      env: {
        PATH: process.env['PATH'] ?? '',
        LINE_API_BASE_URL: emu.url,
        LINE_CHANNEL_SECRET: CHANNEL.secret,
      },
    },
  );
  const out = JSON.parse(issued.stdout) as Record<string, unknown>;
  assert.equal(out['type'], 'short-lived');
  assert.equal(typeof out['accessToken'], 'string');
});

const tsSource = `import { ChannelAccessTokenClient, LineApiError, type IssuedToken } from 'line-token';
import { FileTokenStore } from 'line-token/file-store';
import type { RedisTokenStoreOptions } from 'line-token/redis';
import { startEmulator } from 'line-token/emulator';

export type Checked = [IssuedToken, RedisTokenStoreOptions];
async function main(): Promise<void> {${body}}
main().catch((err: unknown) => { console.error(err); process.exitCode = 1; });
`;

/** TypeScript settings that users have, each with the package type it implies and what runs. */
const settings = [
  {
    name: 'commonjs + node10',
    type: 'commonjs',
    options: { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' },
  },
  { name: 'node16 from CommonJS', type: 'commonjs', options: { module: 'node16' } },
  { name: 'node16 from ESM', type: 'module', options: { module: 'node16' } },
  { name: 'nodenext from ESM', type: 'module', options: { module: 'nodenext' } },
  { name: 'nodenext from CommonJS', type: 'commonjs', options: { module: 'nodenext' } },
  {
    name: 'preserve + bundler',
    type: 'module',
    options: { module: 'preserve', moduleResolution: 'bundler' },
  },
] as const;

for (const setting of settings) {
  // tsc over the package's types with skipLibCheck off: about 11 s each on a shared machine,
  // and the file over a minute in all, which the lane's long pass allows (its 10-min file bound).
  test(
    `TypeScript ${setting.name}: type-checks with skipLibCheck off and runs`,
    { timeout: 120_000 },
    async () => {
      const dir = join(work, setting.name.replace(/\W+/g, '-'));
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'package.json'), JSON.stringify({ type: setting.type }));
      await writeFile(join(dir, 'index.ts'), tsSource);
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2023'],
            strict: true,
            skipLibCheck: false,
            types: ['node'],
            typeRoots: [join(root, 'node_modules/@types')],
            outDir: 'out',
            ...setting.options,
          },
          files: ['index.ts'],
        }),
      );
      await run(process.execPath, [tsc, '-p', dir]).catch((err: { stdout?: string }) => {
        assert.fail(`tsc failed for ${setting.name}:\n${err.stdout ?? String(err)}`);
      });
      // `preserve` leaves import syntax for a bundler; Node runs the output as ESM all the same.
      assert.equal(await runNode(join(dir, 'out/index.js')), `ok ${CHANNEL.id} function function`);
    },
  );
}
