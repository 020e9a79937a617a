// Every file `npm pack` ships names no path of the machine it was built on and no path
// outside the package: editor hovers show the comments of dist/*.d.ts, and a reader must be
// able to follow each one. Needs a fresh `npm run build`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, normalize, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/[\\/]$/, '');

async function packedFiles(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    'npm',
    ['pack', '--dry-run', '--json', '--ignore-scripts'],
    { cwd: root, maxBuffer: 64 * 1024 * 1024 },
  );
  const [pack] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  return (pack?.files ?? []).map((f) => f.path);
}

// Absolute paths of this machine, and the usual roots of anyone's checkout or temp files.
const machinePaths = [
  root,
  tmpdir(),
  ...(homedir().length > 1 ? [homedir()] : []),
  '/work/',
  '/tmp/',
  '/root/',
  '/home/',
  '/Users/',
  'file:///',
  '../shared',
];

describe('the shipped files', () => {
  test('name no path of the build machine and nothing outside the package', async () => {
    const files = await packedFiles();
    assert.ok(
      files.some((f) => f.startsWith('dist/emulator/')),
      'dist/ is built (run npm run build)',
    );
    const shipped = new Set(files);
    const found: string[] = [];
    for (const file of files.filter((f) => /\.(c|m)?(js|ts)$/.test(f))) {
      const text = await readFile(join(root, file), 'utf8');
      for (const path of machinePaths) {
        if (text.includes(path)) found.push(`${file} names ${path}`);
      }
      // Documents a comment sends the reader to must be in the package.
      for (const [doc] of text.matchAll(/\bdocs\/[\w-]+\.md\b/g)) {
        if (!shipped.has(doc)) found.push(`${file} cites ${doc}, which is not shipped`);
      }
      // Relative imports resolve to shipped files.
      for (const [, spec] of text.matchAll(
        /(?:from |import\(|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g,
      )) {
        const target = normalize(join(dirname(file), spec ?? ''))
          .split(sep)
          .join('/');
        const candidates = [target, `${target}.js`, `${target}/index.js`];
        if (!candidates.some((c) => shipped.has(c))) {
          found.push(`${file} imports ${spec}, which is not shipped`);
        }
      }
    }
    assert.deepEqual(found, []);
  });
});
