// The package's entry points, read from package.json's "exports" map so that the build, the
// API reference and the checks never keep a second list that could drift from it.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const root = resolve(fileURLToPath(import.meta.url), '../..');

/** `./dist/cjs/manager/stores/file-store.js` → `<root>/src/manager/stores/file-store.ts`. */
function sourceOf(cjsPath) {
  const match = /^\.\/dist\/cjs\/(.+)\.js$/.exec(cjsPath);
  if (match === null) {
    throw new Error(`exports: a "require" target must be ./dist/cjs/*.js (got ${cjsPath})`);
  }
  return join(root, 'src', `${match[1]}.ts`);
}

/** The source file of every subpath export, absolute paths. */
export function entryPoints() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.values(pkg.exports)
    .filter((target) => typeof target === 'object' && target.require !== undefined)
    .map((target) => sourceOf(target.require.default));
}

/** package.json's "imports" (`#transport`...): each specifier's target per condition. */
export function internalImports() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return pkg.imports ?? {};
}
