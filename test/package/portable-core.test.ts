// Guards the promise that the core runs on edge runtimes (Cloudflare Workers, Deno, Bun):
// everything reachable from the main entry point imports no `node:` module and no package
// but `jose`. The package's own `#...` imports are followed to the file every condition but
// `node` picks; the `node` targets live apart, under src/node/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const packageImports = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    imports: Record<string, Record<string, string>>;
  }
).imports;

/** `./dist/x/y.js` → `<root>/src/x/y.ts`. */
function sourceOf(target: string): string {
  return join(root, target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
}

/** The source a `#...` import resolves to for every runtime but Node. */
function portableTarget(specifier: string): string {
  const target = packageImports[specifier]?.['default'];
  assert.ok(target !== undefined, `package.json "imports" has a default for ${specifier}`);
  return sourceOf(target);
}
const importPattern =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function reachableImports(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const source = readFileSync(file, 'utf8');
    const specifiers: string[] = [];
    for (const match of source.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2];
      if (specifier === undefined) continue;
      // Type-only imports vanish at compile time and cannot pull a module into a bundle.
      if (/^(?:import|export)\s+type\s/.test(match[0])) continue;
      specifiers.push(specifier);
      if (specifier.startsWith('.')) {
        queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      } else if (specifier.startsWith('#')) {
        queue.push(portableTarget(specifier));
      }
    }
    seen.set(file, specifiers);
  }
  return seen;
}

test('the main entry point reaches no node: module and no package but jose', () => {
  const graph = reachableImports(join(root, 'src/index.ts'));
  assert.ok(graph.size > 1, 'the walk should reach more than the entry file');
  const offenders: string[] = [];
  for (const [file, specifiers] of graph) {
    for (const specifier of specifiers) {
      if (specifier.startsWith('.') || specifier.startsWith('#')) continue;
      // jose by subpath (jose/key/import, ...) is jose too: its exports map lists them.
      if (specifier === 'jose' || specifier.startsWith('jose/')) continue;
      offenders.push(`${relative(root, file)} imports ${specifier}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the node condition of each package import picks a file under src/node/, the others a portable one', () => {
  for (const [specifier, conditions] of Object.entries(packageImports)) {
    for (const [condition, target] of Object.entries(conditions)) {
      const inNodeFolder = relative(root, sourceOf(target)).startsWith(join('src', 'node'));
      assert.equal(inNodeFolder, condition === 'node', `${specifier} → ${condition}: ${target}`);
    }
  }
  const walked = [...reachableImports(join(root, 'src/index.ts')).keys()];
  assert.deepEqual(
    walked.filter((file) => relative(root, file).startsWith(join('src', 'node'))),
    [],
    'the portable walk never enters src/node/',
  );
});
