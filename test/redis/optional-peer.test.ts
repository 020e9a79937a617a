// Guards that `line-token/redis` keeps both clients optional: nothing reachable from its
// entry point imports ioredis or redis (or any package but jose) as a value, and it needs no `node:`
// module either (WebCrypto and timers only), so it loads wherever a Redis client does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const importPattern =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

test('line-token/redis reaches no ioredis, no redis, no node: module and no package but jose', () => {
  const seen = new Set<string>();
  const queue = [join(root, 'src/redis/index.ts')];
  const offenders: string[] = [];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    // Block comments go first: TSDoc examples show `import { Redis } from 'ioredis'`.
    const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const match of source.matchAll(importPattern)) {
      const specifier = match[1] ?? match[2];
      if (specifier === undefined) continue;
      // Type-only imports vanish at compile time.
      if (/^(?:import|export)\s+type\s/.test(match[0])) continue;
      if (specifier.startsWith('.')) {
        queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      } else if (specifier !== 'jose') {
        offenders.push(`${relative(root, file)} imports ${specifier}`);
      }
    }
  }
  assert.ok(seen.size > 3, 'the walk should reach the store and its helpers');
  assert.deepEqual(offenders, []);
});
