// The runtime-specific subpaths import only their runtime's APIs, or they break there. The
// graphs of line-token/cloudflare and line-token/deno-kv reach no `node:` module and no
// package but jose (their runtime objects come in as arguments, typed here). Static, so it
// runs without the runtimes installed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './harness.js';

const importPattern =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every non-relative specifier reachable from `entry` (type-only imports left out). */
function externalImports(entry: string): string[] {
  const seen = new Set<string>();
  const external: string[] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    // Comments left out: TSDoc examples show `import ... from 'line-token/...'`.
    const source = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const match of source.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2];
      if (specifier === undefined || /^(?:import|export)\s+type\s/.test(match[0])) continue;
      if (specifier.startsWith('.'))
        queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else external.push(`${relative(ROOT, file)} imports ${specifier}`);
    }
  }
  assert.ok(seen.size > 2, `the walk from ${entry} reached its modules`);
  return external.filter((line) => !line.endsWith(' imports jose'));
}

for (const subpath of ['cloudflare', 'deno-kv']) {
  test(`line-token/${subpath} reaches no node: module and no package but jose`, () => {
    assert.deepEqual(externalImports(join(ROOT, 'src', subpath, 'index.ts')), []);
  });
}
