import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InvalidArgumentError, TokenStoreError } from '../../src/errors.js';
import type { StoredToken } from '../../src/manager/store.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import { FakeClock } from './helpers/fake-clock.js';

const token = (accessToken: string, extra: Partial<StoredToken> = {}): StoredToken => ({
  accessToken,
  expiresAt: 2_000_000,
  issuedAt: 1_000_000,
  type: 'short-lived',
  ...extra,
});

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'line-token-file-store-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const fresh = (): string => join(dir, `case-${++n}`, 'tokens.json');

describe('FileTokenStore', () => {
  test('survives a restart: a new instance on the same file reads what the old one wrote', async () => {
    const path = fresh();
    await new FileTokenStore({ path }).set(
      'short-lived:1',
      token('a', { keyId: 'k', refreshAt: 1_500_000 }),
      60_000,
    );
    const again = await new FileTokenStore({ path }).get('short-lived:1');
    assert.deepEqual(again, token('a', { keyId: 'k', refreshAt: 1_500_000 }));
  });

  test('writes the file mode 0600 in a 0700 folder and leaves no temporary file', async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    await store.set('a', token('a'), 60_000);
    await store.set('b', token('b'), 60_000);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(path, '..'))).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(join(path, '..')), ['tokens.json']);
  });

  test('concurrent writes of one process all land (serialized read-modify-write)', async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, token(`t${i}`), 60_000)),
    );
    for (let i = 0; i < 20; i++) assert.equal((await store.get(`k${i}`))?.accessToken, `t${i}`);
  });

  test('TTL: an entry is gone once it passes, and pruned on the next write', async () => {
    const clock = new FakeClock();
    const path = fresh();
    const store = new FileTokenStore({ path, now: clock.now });
    await store.set('old', token('a'), 1000);
    clock.jump(1000);
    assert.equal(await store.get('old'), undefined);
    await store.set('new', token('b'), 1000);
    const raw = JSON.parse(await readFile(path, 'utf8')) as { entries: Record<string, unknown> };
    assert.deepEqual(Object.keys(raw.entries), ['new']);
  });

  for (const [name, content] of [
    ['a half-written file', '{"version":1,"entries":{"k":{"token":{"accessTo'],
    ['a file that is not JSON', 'garbage\n'],
    ['JSON of another shape', '{"version":2,"entries":[]}'],
    ['an entry without a token', '{"version":1,"entries":{"k":{"deadline":5}}}'],
  ] as const) {
    test(`${name}: starts fresh, says so once through onWarning, and the next write repairs it`, async () => {
      const path = fresh();
      const warnings: string[] = [];
      const store = new FileTokenStore({ path, onWarning: (m) => warnings.push(m) });
      await store.set('seed', token('x'), 60_000);
      await writeFile(path, content, { mode: 0o600 });
      assert.equal(await store.get('k'), undefined);
      assert.equal(await store.get('k'), undefined);
      assert.equal(warnings.length, 1, 'one warning for one damage');
      assert.match(warnings[0]!, /corrupt or half-written; starting fresh/);
      await store.set('k', token('y'), 60_000);
      assert.equal((await store.get('k'))?.accessToken, 'y');
    });
  }

  test('warns once when the file is readable by others, never quoting a token', async () => {
    const path = fresh();
    const warnings: string[] = [];
    const store = new FileTokenStore({ path, onWarning: (m) => warnings.push(m) });
    await store.set('k', token('secret-token-value'), 60_000);
    await chmod(path, 0o644);
    await store.get('k');
    await store.get('k');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /chmod 600/);
    assert.ok(!warnings.join().includes('secret-token-value'));
  });

  test('the lock is shared between instances (processes) through a lock file', async () => {
    const clock = new FakeClock();
    const path = fresh();
    const a = new FileTokenStore({ path, now: clock.now });
    const b = new FileTokenStore({ path, now: clock.now });
    const held = await a.acquireLock('k', 10_000);
    assert.ok(held);
    assert.equal(await b.acquireLock('k', 10_000), undefined);
    assert.ok(await b.acquireLock('other', 10_000), 'locks are per key');
    await held.release();
    const next = await b.acquireLock('k', 10_000);
    assert.ok(next);
    await held.release(); // stale handle: must not free b's lock
    assert.equal(await a.acquireLock('k', 10_000), undefined);
  });

  test("a crashed holder's lock file is taken over after its TTL", async () => {
    const clock = new FakeClock();
    const path = fresh();
    const a = new FileTokenStore({ path, now: clock.now });
    assert.ok(await a.acquireLock('k', 5000));
    const b = new FileTokenStore({ path, now: clock.now });
    assert.equal(await b.acquireLock('k', 5000), undefined);
    clock.jump(5000);
    assert.ok(await b.acquireLock('k', 5000));
  });

  test('waitForChange wakes when another instance writes, and times out otherwise', async () => {
    const path = fresh();
    const a = new FileTokenStore({ path });
    const b = new FileTokenStore({ path });
    await a.set('k', token('a'), 60_000);
    const waiting = b.waitForChange('k', 5000);
    await new Promise((r) => setTimeout(r, 5));
    await a.set('k', token('b'), 60_000);
    await waiting;
    assert.equal((await b.get('k'))?.accessToken, 'b');
    await b.waitForChange('k', 30); // nothing changes: resolves on its timeout
  });

  test('a folder it cannot create is a TokenStoreError naming the path, not a crash', async () => {
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'not a folder');
    const store = new FileTokenStore({ path: join(blocker, 'tokens.json') });
    await assert.rejects(store.set('k', token('a'), 1000), (err: unknown) => {
      assert.ok(err instanceof TokenStoreError);
      assert.match(err.message, /blocker/);
      return true;
    });
  });

  test('refuses bad options with the option named', () => {
    assert.throws(() => new FileTokenStore({ path: '' }), InvalidArgumentError);
    assert.throws(() => new FileTokenStore(undefined as never), InvalidArgumentError);
    assert.throws(() => new FileTokenStore({ path: 'x', onWarning: 'no' as never }), /onWarning/);
    assert.throws(() => new FileTokenStore({ path: 'x', now: 1 as never }), /"now"/);
  });
});
