// makeDirs is `mkdir -p` that ends: Node's recursive mkdir never settles under /proc, where a
// child of an existing folder answers ENOENT, so a file store (or the CLI's --store) pointed
// there hung for ever instead of saying why.
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { makeDirs } from '../../src/internal/make-dirs.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import { TokenStoreError } from '../../src/errors.js';
import { tempDirFor } from '../fixtures.js';

const TOKEN = {
  accessToken: 'token-in-proc',
  issuedAt: 1,
  expiresAt: Date.now() + 60_000,
  type: 'v2.1',
  channelId: '1234567890',
} as const;

describe('makeDirs', () => {
  test('makes missing parents with the mode asked for, and leaves an existing folder alone', async (t) => {
    const root = tempDirFor(t, 'make-dirs-');
    const deep = join(root, 'a', 'b', 'c');
    await makeDirs(deep, 0o700);
    for (const dir of [join(root, 'a'), join(root, 'a', 'b'), deep]) {
      assert.equal((await stat(dir)).mode & 0o777, 0o700, dir);
    }
    await makeDirs(deep, 0o700);
    await makeDirs(root, 0o700);
  });

  test('several calls at once for the same folder all succeed', async (t) => {
    const root = tempDirFor(t, 'make-dirs-');
    const deep = join(root, 'x', 'y', 'z');
    await Promise.all(Array.from({ length: 8 }, () => makeDirs(deep)));
    assert.ok((await stat(deep)).isDirectory());
  });

  test('a file in the way is refused with the system error', async (t) => {
    const root = tempDirFor(t, 'make-dirs-');
    const file = join(root, 'plain-file');
    await writeFile(file, 'x');
    await assert.rejects(makeDirs(file), { code: 'EEXIST' });
    await assert.rejects(makeDirs(join(file, 'below')), { code: 'ENOTDIR' });
  });

  test('under /proc it rejects with ENOENT instead of retrying for ever', async () => {
    await assert.rejects(makeDirs('/proc/line-token-probe/inner'), { code: 'ENOENT' });
    await assert.rejects(makeDirs('/proc/line-token-probe'), { code: 'ENOENT' });
  });
});

describe('FileTokenStore under /proc', () => {
  for (const path of ['/proc/line-token-tokens.json', '/proc/line-token/tokens.json']) {
    test(`${path}: set() rejects with a TokenStoreError naming the folder`, async () => {
      const store = new FileTokenStore({ path });
      assert.equal(await store.get('k'), undefined);
      await assert.rejects(store.set('k', { ...TOKEN }, 1_000), (err: unknown) => {
        assert.ok(err instanceof TokenStoreError, String(err));
        assert.match(err.message, /could not create the (lock )?folder/);
        assert.ok(!err.message.includes(TOKEN.accessToken));
        return true;
      });
      await assert.rejects(store.acquireLock('k', 1_000), TokenStoreError);
    });
  }
});
