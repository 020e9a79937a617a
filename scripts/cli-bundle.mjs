// Bundles the CLI (src/cli/main.ts) into dist/cli/: main.js, which answers --version alone,
// and chunks/ loaded on demand (each command's chunk named after it, shared code in
// `chunk-*.js`). Beside them line-token.cjs (src/cli/bin.cts), the package's `bin`: CommonJS,
// it answers --version before any ES module loads, requires light.cjs (src/cli/light.ts, the
// light commands in one CommonJS file) for those, and imports main.js for the rest. jose is
// bundled in, so a command reads a few files instead of ~60 modules; the Redis clients
// (optional peers the CLI never imports) stay external. The version is inlined, since a
// chunk no longer sits where package.json is two folders up.
import { rmSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { root } from './entry-points.mjs';

/**
 * Replaces dist/cli/ (tsc's file-per-module output of src/cli/) with the bundle;
 * `dashboardScript` is the emulator dashboard's bundled page script, inlined.
 */
export async function bundleCli(dashboardScript) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const outdir = join(root, 'dist/cli');
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'src/cli/main.ts')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunks/[name]-[hash]',
    external: ['ioredis', 'redis'],
    define: {
      LINE_TOKEN_VERSION: JSON.stringify(version),
      LINE_TOKEN_DASHBOARD_JS: JSON.stringify(dashboardScript),
    },
    // Names kept (not minified): stack traces in bug reports stay readable, and minifying
    // saved under a millisecond per run.
    legalComments: 'inline',
    logLevel: 'warning',
  });
  // The light commands, one CommonJS file: Node reads it synchronously, with no ES loader.
  // The runner's table still names every command; the others' modules are replaced by one
  // that fails loudly, since the launcher sends only a light command word here.
  await build({
    entryPoints: [join(root, 'src/cli/light.ts')],
    outfile: join(outdir, 'light.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['ioredis', 'redis'],
    define: { LINE_TOKEN_VERSION: JSON.stringify(version) },
    plugins: [otherCommandsLeftOut],
    legalComments: 'inline',
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(root, 'src/cli/bin.cts')],
    outfile: join(outdir, 'line-token.cjs'),
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    define: {
      LINE_TOKEN_VERSION: JSON.stringify(version),
      LINE_TOKEN_LIGHT_COMMANDS: JSON.stringify(LIGHT_COMMANDS),
    },
    logLevel: 'warning',
  });
}

/**
 * The commands dist/cli/light.cjs runs (src/cli/light.ts): those scripts call once per job,
 * where start-up is most of the run, and whose code is small.
 */
export const LIGHT_COMMANDS = ['assertion'];

/** In light.cjs, each other command's module (src/cli/commands/<name>.ts) only throws. */
const otherCommandsLeftOut = {
  name: 'other-commands-left-out',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (args) => {
      const name = args.path.slice(2, -3);
      const fromTable = args.importer.endsWith(join('src', 'cli', 'commands', 'index.ts'));
      if (!fromTable || LIGHT_COMMANDS.includes(name)) return undefined;
      return { path: name, namespace: 'left-out' };
    });
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(
        `line-token: internal error: the "${args.path}" command is not in light.cjs`,
      )});`,
      loader: 'js',
    }));
  },
};
