// The file store's `acquireLock` and its refusal of symlinks, within one process. Many
// store instances race through the libuv thread pool, so their file-system steps really
// interleave; the multi-process proof is in file-store-processes.test.ts.
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TokenStoreError } from '../../src/errors.js';
import type { StoredToken } from '../../src/manager/store.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import { FakeClock } from './helpers/fake-clock.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const token = (accessToken: string): StoredToken => ({
  accessToken,
  expiresAt: 2_000_000,
  issuedAt: 1_000_000,
  type: 'short-lived',
});

const dir = tempDirFor(suiteScope(), 'line-token-file-lock-');

let n = 0;
const fresh = (): string => join(dir, `case-${++n}`, 'tokens.json');

async function race(path: string, contenders: number, now: () => number): Promise<number> {
  const stores = Array.from({ length: contenders }, () => new FileTokenStore({ path, now }));
  const leases = await Promise.all(stores.map((s) => s.acquireLock('k', 60_000)));
  const held = leases.filter((l) => l !== undefined);
  await Promise.all(held.map((l) => l.release()));
  return held.length;
}

describe('FileTokenStore lock', () => {
  test('30 contenders at a free lock, 20 rounds: exactly one holder each round', async () => {
    const path = fresh();
    for (let round = 0; round < 20; round++) assert.equal(await race(path, 30, Date.now), 1);
  });

  test('30 contenders at a stale lock, 20 rounds: exactly one takes it over each round', async () => {
    const path = fresh();
    // Locks written on a clock a minute behind are expired for everyone else.
    const behind = new FileTokenStore({ path, now: () => Date.now() - 60_000 });
    for (let round = 0; round < 20; round++) {
      assert.ok(await behind.acquireLock('k', 1_000));
      assert.equal(await race(path, 30, Date.now), 1);
    }
  });

  test('the old holder releasing after a takeover frees nothing of the new holder', async () => {
    const clock = new FakeClock();
    const path = fresh();
    const [a, b, c] = [1, 2, 3].map(() => new FileTokenStore({ path, now: clock.now }));
    const old = await a!.acquireLock('k', 5_000);
    assert.ok(old);
    clock.jump(5_000);
    assert.ok(await b!.acquireLock('k', 5_000), 'taken over once the TTL passed');
    await old.release();
    assert.equal(await c!.acquireLock('k', 5_000), undefined, "b's lock is still held");
  });

  test('an entry the store did not write never expires: a foreign folder can only block', async () => {
    const clock = new FakeClock();
    const path = fresh();
    const store = new FileTokenStore({ path, now: clock.now });
    await store.set('x', token('x'), 60_000); // creates the folders
    await mkdir(`${path}.locks/key-k`);
    await writeFile(`${path}.locks/key-k/someone-elses`, '');
    clock.jump(365 * 86_400_000);
    assert.equal(await store.acquireLock('k', 1_000), undefined);
  });

  test('a crashed creator leaves only an unused preparation, which blocks nothing', async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    await store.set('x', token('x'), 60_000);
    // What a process killed between preparing its lock and renaming it into place leaves.
    await mkdir(`${path}.locks/.new-00000000-0000-4000-8000-000000000000`);
    const lock = await store.acquireLock('k', 60_000);
    assert.ok(lock);
    await lock.release();
    await store.set('y', token('y'), 60_000);
  });

  test('a write lock left by a crashed writer is taken over once its lease has ended', async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    await store.set('a', token('a'), 60_000);
    // What a writer killed while holding the write lock leaves: its entry, lease ended.
    await mkdir(`${path}.locks/file`);
    const dead = `${Date.now() - 1}-999999-00000000-0000-4000-8000-000000000000`;
    await writeFile(`${path}.locks/file/${dead}`, '');
    await store.set('b', token('b'), 60_000);
    assert.equal((await store.get('a'))?.accessToken, 'a');
    assert.equal((await store.get('b'))?.accessToken, 'b');
    assert.deepEqual(await readdir(`${path}.locks`), [], 'taken over, then released');
  });

  test('keys with slashes, stars or of any length get their own lock', async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    const keys = ['a/b', '../up', '*', 'x'.repeat(1000), 'file'];
    const locks = await Promise.all(keys.map((k) => store.acquireLock(k, 60_000)));
    assert.ok(locks.every((l) => l !== undefined));
    for (const k of keys) assert.equal(await store.acquireLock(k, 60_000), undefined);
    assert.ok(!(await readdir(join(path, '..'))).includes('up.locks'), 'stays in its folder');
  });
});

describe('FileTokenStore and symbolic links', () => {
  test('refuses a store path that is a symlink, and leaves the target alone', async () => {
    const path = fresh();
    const elsewhere = join(dir, `elsewhere-${n}.json`);
    await writeFile(elsewhere, 'not yours');
    await mkdir(join(path, '..'), { recursive: true });
    await symlink(elsewhere, path);
    const store = new FileTokenStore({ path });
    for (const op of [() => store.get('k'), () => store.set('k', token('t'), 60_000)]) {
      await assert.rejects(op(), (err: unknown) => {
        assert.ok(err instanceof TokenStoreError);
        assert.match(err.message, /is a symbolic link; refusing to follow it/);
        assert.match(err.message, /allowSymlink: true/);
        return true;
      });
    }
    assert.equal(await readFile(elsewhere, 'utf8'), 'not yours');
    assert.ok((await lstat(path)).isSymbolicLink());
  });

  test('allowSymlink: true writes through the link, keeps it, and shares locks with the target', async () => {
    const path = fresh();
    const target = join(dir, `target-${n}`, 'real.json');
    await mkdir(join(target, '..'), { recursive: true });
    await mkdir(join(path, '..'), { recursive: true });
    await symlink(target, path); // dangling until the first write
    const viaLink = new FileTokenStore({ path, allowSymlink: true });
    await viaLink.set('k', token('through'), 60_000);
    assert.ok((await lstat(path)).isSymbolicLink(), 'the link is kept');
    const direct = new FileTokenStore({ path: target });
    assert.equal((await direct.get('k'))?.accessToken, 'through');
    const lock = await viaLink.acquireLock('k', 60_000);
    assert.ok(lock);
    assert.equal(await direct.acquireLock('k', 60_000), undefined, 'one lock, by either path');
    await lock.release();
  });

  test('refuses allowSymlink that is not a boolean', () => {
    assert.throws(
      () => new FileTokenStore({ path: 'x', allowSymlink: 'yes' as never }),
      /"allowSymlink"/,
    );
  });
});
