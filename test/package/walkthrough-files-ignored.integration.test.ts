// The README's and docs' walkthroughs write private keys (`keygen --out FILE`) and the
// emulator's first line with channel secrets (`> emu.json`) into the clone's root: git
// must ignore every such file, so none is committed by accident.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function writtenFiles(): Promise<string[]> {
  const docs = (await readdir(join(root, 'docs'))).filter((f) => f.endsWith('.md'));
  const files = new Set<string>();
  for (const doc of ['README.md', ...docs.map((d) => join('docs', d))]) {
    const text = await readFile(join(root, doc), 'utf8');
    for (const [, file] of text.matchAll(/keygen --out ([\w.-]+\.json)/g)) files.add(file ?? '');
    for (const [, file] of text.matchAll(/line-token emulator[^\n|]*> ([\w.-]+\.json)/g)) {
      files.add(file ?? '');
    }
  }
  return [...files];
}

test('git ignores every key and secret file the walkthroughs write', async (t) => {
  const files = await writtenFiles();
  assert.ok(files.includes('key.json') && files.includes('emu.json'), files.join(' '));
  const ignored = await promisify(execFile)('git', ['check-ignore', '--no-index', ...files], {
    cwd: root,
  }).then(
    ({ stdout }) => stdout.split('\n').filter(Boolean),
    (err: { code?: unknown; stdout?: string }) => {
      // 1: none ignored; 128: not a git checkout (an unpacked tarball), nothing to check.
      if (err.code === 128) return undefined;
      return (err.stdout ?? '').split('\n').filter(Boolean);
    },
  );
  if (ignored === undefined) return t.skip('not a git checkout');
  assert.deepEqual(ignored.sort(), [...files].sort());
});
