// The integration lane (`npm run test:integration [-- FILE...]`): every *.integration.test.ts
// under test/, each test bounded at one minute unless it names a longer timeout itself
// (`test(name, { timeout: N }, fn)`, or on its describe).
//
// Why two passes: on Node 20 and 22, --test-timeout bounds each whole test file as well as
// each test (Node 24 bounds only tests), so a file holding a test that may take three minutes
// would be stopped at one. Files that name a timeout over a minute therefore run in a second
// pass whose bound is ten minutes; their other tests are bounded by that too. A file that
// takes over a minute in all, without any one test that long, names a timeout to join it.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const TEST_MS = 60_000;
const LONG_FILE_MS = 600_000;

/** Every *.integration.test.ts under test/, outside node_modules, sorted. */
function integrationFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') found.push(...integrationFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.integration.test.ts')) found.push(path);
  }
  return found;
}

/** Whether a file names a timeout over TEST_MS (`timeout: 120_000` and the like). */
function asksForMore(path) {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/\btimeout: (\d[\d_]*)\b/g)].some(
    (m) => Number(m[1].replaceAll('_', '')) > TEST_MS,
  );
}

const args = process.argv.slice(2);
const files = (args.length > 0 ? args : integrationFiles(join(ROOT, 'test')))
  .map((path) => relative(ROOT, resolve(ROOT, path)))
  .sort();
const long = files.filter((path) => asksForMore(join(ROOT, path)));
const rest = files.filter((path) => !long.includes(path));

let failed = false;
for (const [pass, timeout] of [
  [rest, TEST_MS],
  [long, LONG_FILE_MS],
]) {
  if (pass.length === 0) continue;
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${timeout}`, ...pass],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
