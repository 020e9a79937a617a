// docs/local-line.md's "Test your bot end to end", run as a reader would run it: its ts
// block is read from the doc, `line-token` imports pointed at src/, written beside this file
// and run in a child process (node + tsx). The block asserts for itself (a user message in,
// the bot's verified reply out, the token refreshed in between); exit 0 is the pass.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const DOC = fileURLToPath(new URL('../../docs/local-line.md', import.meta.url));
const SCRIPT = fileURLToPath(new URL(`./.walkthrough-${process.pid}.ts`, import.meta.url));

test('the local LINE walkthrough runs as written and its own assertions hold', async (t) => {
  const text = await readFile(DOC, 'utf8');
  const section = text.slice(text.indexOf('## Test your bot end to end'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'the walkthrough has a ts block');
  const code = block
    .replace("from 'line-token/emulator'", "from '../../src/emulator/index.js'")
    .replace("from 'line-token'", "from '../../src/index.js'");
  assert.notEqual(code, block, 'the block imports line-token');
  await writeFile(SCRIPT, code);
  t.after(() => rm(SCRIPT, { force: true }));
  const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>(
    (resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', SCRIPT],
        { timeout: 120_000 },
        (err, out, errOut) =>
          err
            ? reject(Object.assign(err, { stderr: errOut }))
            : resolve({ stdout: out, stderr: errOut }),
      ),
  );
  assert.equal(stdout, '');
  assert.doesNotMatch(stderr, /Error/);
});
