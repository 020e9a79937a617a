// @opentelemetry/api is an optional peer dependency: the package must work on every
// runtime whether it is installed or not. Each case copies the built package into a temp
// folder whose node_modules holds jose and, for "with", @opentelemetry/api. "Without"
// first proves the peer really is unresolvable there (line-token/opentelemetry fails to
// load), then that the core gets a token all the same; in workerd the bundle of the core
// is built with the peer absent. "With" gets a token through a manager reporting to
// openTelemetry() with no SDK registered (the API's no-ops).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../dist/emulator/index.js';
import {
  COMPATIBILITY_DATE,
  ROOT,
  RUNTIMES_DIR,
  RUNTIME_ENV,
  bin,
  bundleWorker,
  miniflare,
  requireRuntimes,
} from './harness.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const HANG_GUARD = { timeout: 180_000 };

// The user's code, the same on every runtime: `check` gets a token, optionally reporting
// to a telemetry; `with.mjs` and `without.mjs` are the two installs' programs.
const FILES: Record<string, string> = {
  'core.mjs': `import { TokenManager } from './pkg/dist/index.js';
export async function check({ baseUrl, channelId, channelSecret }, telemetry) {
  const manager = new TokenManager({
    strategy: { type: 'stateless', channelId, channelSecret },
    clientOptions: { baseUrl },
    ...(telemetry === undefined ? {} : { telemetry }),
  });
  const token = await manager.getToken();
  await manager.close();
  return { ok: typeof token === 'string' && token.length > 0 };
}`,
  'with.mjs': `import { openTelemetry } from './pkg/dist/telemetry/opentelemetry.js';
import { check } from './core.mjs';
export async function run(config) {
  return { ...(await check(config, openTelemetry())), peerLoads: true };
}`,
  // The specifier is computed so that no bundler or loader resolves it ahead of time.
  'without.mjs': `import { check } from './core.mjs';
export async function run(config) {
  let peerLoads = true;
  try {
    await import(['.', 'pkg', 'dist', 'telemetry', 'opentelemetry.js'].join('/'));
  } catch {
    peerLoads = false;
  }
  return { ...(await check(config)), peerLoads };
}`,
  'cli.mjs': `const [program, config] = process.argv.slice(-2);
const { run } = await import(program === 'with' ? './with.mjs' : './without.mjs');
console.log(JSON.stringify(await run(JSON.parse(config))));`,
  'worker-with.mjs': `import { run } from './with.mjs';
export default { fetch: async (request) => Response.json(await run(await request.json())) };`,
  'worker-without.mjs': `import { check } from './core.mjs';
export default { fetch: async (request) => Response.json(await check(await request.json())) };`,
};

type Install = 'with' | 'without';

/** A folder holding the built package, its node_modules for `install`, and FILES. */
// The install folders, removed after the file's last test.
const suite = suiteScope();

async function installFor(install: Install): Promise<string> {
  const dir = tempDirFor(suite, `line-token-peer-${install}-`);
  await cp(join(ROOT, 'dist'), join(dir, 'pkg/dist'), { recursive: true });
  // The package's own "imports" (#transport, #signing) go along: they pick each
  // runtime's paths, and dist/ cannot load without them.
  const { imports } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    imports: unknown;
  };
  const pkg = { name: 'line-token', type: 'module', imports, dependencies: { jose: '*' } };
  await writeFile(join(dir, 'pkg/package.json'), JSON.stringify(pkg));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const linked = install === 'with' ? ['jose', '@opentelemetry/api'] : ['jose'];
  for (const name of linked) {
    await mkdir(join(dir, 'pkg/node_modules', name, '..'), { recursive: true });
    await symlink(
      await realpath(join(ROOT, 'node_modules', name)),
      join(dir, 'pkg/node_modules', name),
    );
  }
  for (const [file, text] of Object.entries(FILES)) await writeFile(join(dir, file), text);
  return dir;
}

/** Runs a runtime in `cwd` and returns the JSON line it printed (hang guard 120 s). */
function runIn(cwd: string, command: string, args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: RUNTIME_ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(guard);
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as Record<string, unknown>);
      else reject(new Error(`exit ${code}: ${stdout.slice(-1000)} ${stderr.slice(-2000)}`));
    });
  });
}

describe('with and without @opentelemetry/api installed', HANG_GUARD, () => {
  let emulator: Emulator;
  const dirs = new Map<Install, string>();
  before(async () => {
    emulator = await startEmulator();
    for (const install of ['with', 'without'] as const)
      dirs.set(install, await installFor(install));
  });
  after(() => emulator.close());

  async function config(): Promise<Record<string, string>> {
    const { id, secret } = await emulator.admin.createChannel();
    return { baseUrl: emulator.url, channelId: id, channelSecret: secret };
  }

  const runtimes: Array<
    [string, (dir: string, install: Install, config: string) => Promise<Record<string, unknown>>]
  > = [['Node.js', (dir, install, c) => runIn(dir, process.execPath, ['cli.mjs', install, c])]];
  if (requireRuntimes('optional peer')) {
    runtimes.push(
      ['Bun', (dir, install, c) => runIn(dir, bin('bun'), ['run', 'cli.mjs', install, c])],
      [
        'Deno',
        (dir, install, c) =>
          runIn(dir, bin('deno'), [
            'run',
            '--no-prompt',
            '--allow-net=127.0.0.1',
            `--allow-read=${dir}`,
            'cli.mjs',
            install,
            c,
          ]),
      ],
    );
  }

  for (const install of ['with', 'without'] as const) {
    for (const [name, runOn] of runtimes) {
      test(`${name}, ${install}: a token, and line-token/opentelemetry loads only with the peer`, async () => {
        const report = await runOn(dirs.get(install)!, install, JSON.stringify(await config()));
        assert.deepEqual(report, { ok: true, peerLoads: install === 'with' });
      });
    }
  }

  test('workerd, with and without: the Worker bundles and gets a token', async (t) => {
    if (runtimes.length === 1) return t.skip('runtimes missing');
    for (const install of ['with', 'without'] as const) {
      const entry = relative(RUNTIMES_DIR, join(dirs.get(install)!, `worker-${install}.mjs`));
      const mf = await miniflare({
        modules: true,
        script: await bundleWorker(entry),
        compatibilityDate: COMPATIBILITY_DATE,
        compatibilityFlags: [],
      });
      try {
        const res = await mf.dispatchFetch('http://worker/', {
          method: 'POST',
          body: JSON.stringify(await config()),
        });
        const report = JSON.parse(await res.text()) as Record<string, unknown>;
        assert.equal(report['ok'], true, `${install}: ${JSON.stringify(report)}`);
      } finally {
        await mf.dispose();
      }
    }
  });
});
