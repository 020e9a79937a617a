// Fails when src/ has an import cycle, type-only imports included: eslint-plugin-import-x's
// no-cycle (in eslint.config.js) skips `import type`, yet a cycle of types is still two
// files that cannot be read, moved or split apart. Imports are resolved by the TypeScript
// compiler the way tsc resolves them, then cycles are found as strongly connected components.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  },
);

/**
 * The import cycles among the .ts files under `srcDir` (type-only imports included), each
 * as the sorted list of its files, relative to the folder holding `srcDir`.
 *
 * @param {string} srcDir
 * @returns {string[][]}
 */
export function findCycles(srcDir) {
  const files = readdirSync(srcDir, { recursive: true })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(srcDir, f));

  /** @type {Map<string, string[]>} */
  const graph = new Map();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps = [];
    for (const { fileName } of importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, config.options, ts.sys).resolvedModule;
      if (
        resolved &&
        !resolved.isExternalLibraryImport &&
        resolved.resolvedFileName.startsWith(srcDir)
      ) {
        deps.push(resolved.resolvedFileName);
      }
    }
    graph.set(file, deps);
  }

  // Tarjan's strongly connected components: every component of more than one file is a cycle.
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  function visit(v) {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(relative(join(srcDir, '..'), w));
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file);

  return cycles;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cycles = findCycles(join(root, 'src'));
  if (cycles.length > 0) {
    console.error(`src/ has ${cycles.length} import cycle(s) (type imports included):`);
    for (const cycle of cycles) console.error(`  ${cycle.join(' <-> ')}`);
    console.error('Move what both files need into a third file that imports neither.');
    process.exitCode = 1;
  } else {
    console.log('src/: no import cycle (type imports included).');
  }
}
