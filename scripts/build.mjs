// Builds dist/ in two formats from one source tree, with TypeScript alone:
// - ESM for the whole of src/ (dist/**), what `import` and the CLI load;
// - CommonJS for the package's entry points and what they reach (dist/cjs/**), what
//   `require` and TypeScript projects on `module: commonjs` load.
// The entry points come from package.json's "exports" map, so a new subpath needs no second
// list here. The library stays file-for-file with src/ (readable stack traces, no second
// resolver between users and our code).
//
// The CLI is the exception: it is bundled with esbuild (cli-bundle.mjs). Loading ~60 small
// modules (ours and jose's) was most of a one-shot command's time: `line-token assertion`
// took 1.3x a jsonwebtoken script doing the same job; bundled, it is on a par
// (bench/startup.bench.ts).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { bundleCli } from './cli-bundle.mjs';
import { bundleDashboard, inlineDashboard } from './dashboard-bundle.mjs';
import { entryPoints, internalImports, root } from './entry-points.mjs';

const tsc = join(root, 'node_modules/typescript/bin/tsc');

const imports = internalImports();
const entries = entryPoints();

// npm start, npm test and npm pack build first, for 10-30 s; say so rather than sit silent.
// On stderr, so it never mixes into what a script reads from stdout.
process.stderr.write(
  'line-token: building dist/ (ESM, CommonJS and the CLI bundle), about 10-30 s…\n',
);
const started = Date.now();

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

// TypeScript 6 compiles CommonJS with bundler-style resolution, which reads the `.js`
// specifiers of our ESM sources as they are.
const cjsConfig = join(tmpdir(), `line-token-tsconfig.cjs.${process.pid}.json`);
writeFileSync(
  cjsConfig,
  JSON.stringify({
    extends: join(root, 'tsconfig.build.json'),
    compilerOptions: {
      module: 'CommonJS',
      moduleResolution: 'Bundler',
      verbatimModuleSyntax: false,
      rootDir: join(root, 'src'),
      outDir: join(root, 'dist/cjs'),
      typeRoots: [join(root, 'node_modules/@types')],
    },
    include: [],
    files: entries,
  }),
);
try {
  execFileSync(process.execPath, [tsc, '-p', cjsConfig], { stdio: 'inherit' });
} finally {
  rmSync(cjsConfig, { force: true });
}
mkdirSync(join(root, 'dist/cjs'), { recursive: true });
// Node and TypeScript read the format of dist/cjs/**.js and .d.ts from the nearest package.json.
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
const dashboard = await bundleDashboard();
inlineDashboard(dashboard);
pinCjsImports();
await bundleCli(dashboard);
chmodSync(join(root, 'dist/cli/main.js'), 0o755);
chmodSync(join(root, 'dist/cli/line-token.cjs'), 0o755);
process.stderr.write(
  `line-token: dist/ built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);

/**
 * The CommonJS build requires each `#...` import's `node` target by relative path. Node
 * resolves `#...` against the nearest package.json, which for dist/cjs/** is the one that
 * marks it CommonJS, and "imports" there is flagged by publint as ignored by Node and
 * unreliable in bundlers. `require` of this package is Node's (and Bun's, which has
 * node:http and node:crypto); Workers, Deno and browsers load the ES modules, where the
 * root "imports" pick per runtime.
 */
function pinCjsImports() {
  const cjsRoot = join(root, 'dist/cjs');
  const files = readdirSync(cjsRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const pinned = source.replace(/require\("(#[\w-]+)"\)/g, (_, specifier) => {
      const target = imports[specifier]?.node;
      if (target === undefined) throw new Error(`${file}: no "node" target for ${specifier}`);
      const path = relative(dirname(file), join(cjsRoot, target.replace(/^\.\/dist\//, '')));
      return `require(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)})`;
    });
    if (pinned !== source) writeFileSync(file, pinned);
  }
}
