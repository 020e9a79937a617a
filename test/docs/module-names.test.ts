// The API reference names each module by the import path a user types (`line-token`,
// `line-token/file-store`), not by its file (`index`, `manager/stores/file-store`): the
// `@module` tag of every entry point in package.json's "exports" says so.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('every entry point is documented under its import path', async () => {
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, string | { import?: { default: string } }>;
  };
  const found: string[] = [];
  const expected: string[] = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target !== 'object' || target.import === undefined) continue;
    const source = target.import.default.replace(/^\.\/dist\/(.+)\.js$/, 'src/$1.ts');
    const importPath = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
    expected.push(`${source}: ${importPath}`);
    const text = await readFile(join(root, source), 'utf8');
    const tag = /^ \* @module ?(.*)$/m.exec(text)?.[1];
    found.push(`${source}: ${tag ?? '(no @module tag)'}`);
  }
  assert.equal(expected.length, 8);
  assert.deepEqual(found, expected);
});
