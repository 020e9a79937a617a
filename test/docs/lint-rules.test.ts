// The layering rules only help if they fire: each case is a file that breaks one rule, linted
// through ESLint's Node API as if it sat at a real path in src/, and a type-only cycle found
// by the cycle check npm run lint runs beside ESLint.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
// @ts-expect-error: a plain .mjs build script, without type declarations
import { findCycles } from '../../scripts/check-cycles.mjs';
import { tempDirFor } from '../fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The probes are not in tsconfig, so the type-aware rules are off; the layering rules need
// no type information.
const options: ESLint.Options = { cwd: root, overrideConfig: tseslint.configs.disableTypeChecked };

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await new ESLint(options).lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('layering lint rules', () => {
  test("an import of another part's internal/ is reported", async () => {
    const ids = await ruleIds(
      "export { CLIENT_SPEC } from '../client/internal/spec.js';\n",
      'src/diagnose/lint-probe.ts',
    );
    assert.ok(ids.includes('import-x/no-restricted-paths'), ids.join(', '));
  });

  test("an import of another part's nested internal/ is reported", async () => {
    const ids = await ruleIds(
      "export { ensureDir } from '../manager/stores/internal/fs-util.js';\n",
      'src/cli/lint-probe.ts',
    );
    assert.ok(ids.includes('import-x/no-restricted-paths'), ids.join(', '));
  });

  test("a part's own internal/ and the shared src/internal/ are allowed", async () => {
    const ids = await ruleIds(
      "export * from './internal/spec.js';\nexport * from '../internal/sleep.js';\n",
      'src/client/lint-probe.ts',
    );
    assert.ok(!ids.includes('import-x/no-restricted-paths'), ids.join(', '));
    const nested = await ruleIds(
      "export { ensureDir } from './stores/internal/fs-util.js';\n",
      'src/manager/lint-probe.ts',
    );
    assert.ok(!nested.includes('import-x/no-restricted-paths'), nested.join(', '));
  });

  test('a file over 300 lines is reported', async () => {
    const code = Array.from({ length: 301 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    const ids = await ruleIds(`${code}\n`, 'src/internal/lint-probe.ts');
    assert.ok(ids.includes('max-lines'), ids.join(', '));
  });

  test('a cycle through type-only imports is found by the cycle check', async (t) => {
    const dir = tempDirFor(t, 'lint-cycle-');
    const src = join(dir, 'src');
    await mkdir(src);
    await writeFile(join(src, 'a.ts'), "import type { B } from './b.js';\nexport type A = B[];\n");
    await writeFile(join(src, 'b.ts'), "import type { A } from './a.js';\nexport type B = A;\n");
    await writeFile(join(src, 'c.ts'), "import type { A } from './a.js';\nexport type C = A;\n");
    assert.deepEqual(findCycles(src), [['src/a.ts', 'src/b.ts']]);
  });

  test('src/ has no import cycle', () => {
    assert.deepEqual(findCycles(join(root, 'src')), []);
  });
});
