// The file store shared by real processes on one host, as CLI runs share it: 24 workers started
// once, then driven round by round, every worker told to act at the same instant. The workers run
// the built store: build first (npm test does; the pool refuses a stale dist/).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import { WorkerPool } from './file-store/pool.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

let pool: WorkerPool;
before(async () => {
  pool = await WorkerPool.start(24);
});
after(async () => {
  await pool?.close();
});
// Made after the hook above, so it is removed once the worker processes have exited.
const dir = tempDirFor(suiteScope(), 'line-token-file-store-procs-');

describe('FileTokenStore shared by processes', () => {
  test('8 processes x 10 rounds, each writing its own key at the same instant: 0 of 80 lost', async () => {
    const path = join(dir, 'own', 'tokens.json');
    const reader = new FileTokenStore({ path });
    let lost = 0;
    await pool.use(8, path);
    for (let round = 0; round < 10; round++) {
      const reports = await pool.round(8, () => ({ cmd: 'write-own', round }));
      assert.deepEqual(
        reports.flatMap((r) => r.warnings),
        [],
      );
      for (let w = 0; w < 8; w++) {
        const got = await reader.get(`w${w}-r${round}`);
        if (!got?.accessToken.startsWith(`w${w}-r${round}-i0-`)) lost++;
      }
    }
    assert.equal(lost, 0, `${lost} of 80 entries lost right after their round`);
    const raw = JSON.parse(await readFile(path, 'utf8')) as { entries: Record<string, unknown> };
    assert.equal(Object.keys(raw.entries).length, 80, 'all 80 entries in the file at the end');
  });

  test('16 processes writing and reading one key: readers only ever see a complete entry', async () => {
    const path = join(dir, 'same', 'tokens.json');
    let reads = 0;
    let torn = 0;
    await pool.use(16, path);
    for (let round = 0; round < 5; round++) {
      const reports = await pool.round(16, () => ({ cmd: 'same-key', round, writes: 4 }));
      assert.deepEqual(
        reports.flatMap((r) => r.warnings),
        [],
        'no damage reported',
      );
      for (const r of reports) {
        reads += r.reads ?? 0;
        torn += r.torn ?? 0;
      }
    }
    assert.equal(reads, 16 * 5 * 4 * 2);
    assert.equal(torn, 0, `${torn} of ${reads} reads saw an incomplete entry`);
    const last = await new FileTokenStore({ path }).get('shared');
    assert.match(last?.accessToken ?? '', /^w\d+-r4-i3-/, 'the last round wrote last');
  });

  // 50 rounds of 24 processes racing for one lock file: about 20 s on a shared machine.
  test(
    '24 processes contending for the lock, 50 rounds, each starting at a stale lock: never two holders',
    { timeout: 90_000 },
    async () => {
      const path = join(dir, 'lock', 'tokens.json');
      const log = join(dir, 'holders.log');
      // A store whose clock runs a minute behind writes locks that are already expired for
      // the workers: every round opens with all 24 racing to take over a stale lock.
      const behind = new FileTokenStore({ path, now: () => Date.now() - 60_000 });
      await writeFile(log, '');
      await pool.use(24, path);
      for (let round = 0; round < 50; round++) {
        assert.ok(await behind.acquireLock('contended', 1_000), 'the stale lock is planted');
        await pool.round(24, () => ({ cmd: 'lock', round, log }));
      }
      const lines = (await readFile(log, 'utf8')).trim().split('\n');
      assert.equal(lines.length, 24 * 50 * 2, 'every worker held the lock once per round');
      let holder: string | undefined;
      const overlaps: string[] = [];
      for (const [i, line] of lines.entries()) {
        const [pid, what] = line.split(' ');
        if (what === 'enter') {
          if (holder !== undefined)
            overlaps.push(`line ${i + 1}: ${pid} entered while ${holder} held it`);
          holder = pid;
        } else {
          if (holder !== pid) overlaps.push(`line ${i + 1}: ${pid} left while ${holder} held it`);
          holder = undefined;
        }
      }
      assert.deepEqual(overlaps, []);
    },
  );
});
