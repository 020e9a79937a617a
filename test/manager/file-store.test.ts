import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { InvalidArgumentError, TokenStoreError } from '../../src/errors.js';
import type { StoredToken } from '../../src/manager/store.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import { FakeClock } from './helpers/fake-clock.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const token = (accessToken: string, extra: Partial<StoredToken> = {}): StoredToken => ({
  accessToken,
  expiresAt: 2_000_000,
  issuedAt: 1_000_000,
  type: 'short-lived',
  ...extra,
});

const dir = tempDirFor(suiteScope(), 'line-token-file-store-');

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

  test('writes the file mode 0600 in a 0700 folder and leaves no temporary file or lock', async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    await store.set('a', token('a'), 60_000);
    await store.set('b', token('b'), 60_000);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(path, '..'))).mode & 0o777, 0o700);
    assert.deepEqual((await readdir(join(path, '..'))).sort(), [
      'tokens.json',
      'tokens.json.locks',
    ]);
    assert.equal((await stat(`${path}.locks`)).mode & 0o777, 0o700);
    assert.deepEqual(await readdir(`${path}.locks`), [], 'the write lock is released');
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

  test('one damaged entry among three: reported by key (never value), the other two survive the next write', async () => {
    const path = fresh();
    const warnings: string[] = [];
    const store = new FileTokenStore({ path, onWarning: (m) => warnings.push(m) });
    await store.set('a', token('token-a'), 60_000);
    await store.set('b', token('token-b'), 60_000);
    await store.set('c', token('token-c'), 60_000);
    const raw = JSON.parse(await readFile(path, 'utf8')) as {
      entries: Record<string, { token: Record<string, unknown> }>;
    };
    raw.entries['b']!.token['expiresAt'] = 'soon'; // damaged, its secret still in it
    await writeFile(path, JSON.stringify(raw), { mode: 0o600 });

    assert.equal(await store.get('b'), undefined);
    assert.equal((await store.get('a'))?.accessToken, 'token-a');
    await store.set('d', token('token-d'), 60_000);
    for (const [k, v] of [
      ['a', 'token-a'],
      ['c', 'token-c'],
      ['d', 'token-d'],
    ]) {
      assert.equal((await new FileTokenStore({ path }).get(k!))?.accessToken, v);
    }
    const after = JSON.parse(await readFile(path, 'utf8')) as { entries: Record<string, unknown> };
    assert.deepEqual(Object.keys(after.entries).sort(), ['a', 'c', 'd'], 'b dropped alone');
    assert.equal(warnings.length, 1, 'one warning for one damaged entry');
    assert.match(warnings[0]!, /entry for key "b" is damaged/);
    assert.ok(!warnings[0]!.includes('token-b'), 'the damaged value is never quoted');
  });

  test('a token written by a clock running ahead is refused, with one warning', async () => {
    const clock = new FakeClock();
    const path = fresh();
    const MIN = 60_000;
    // The writer's clock ran 25 minutes fast when the token (1 hour) was issued and stored.
    const fast = () => clock.now() + 25 * MIN;
    const writer = new FileTokenStore({ path, now: fast });
    const issued = {
      accessToken: 'tok-3f9a',
      issuedAt: fast(),
      expiresAt: fast() + 60 * MIN,
      type: 'v2.1',
    };
    await writer.set('k', issued, 60 * MIN);
    const warnings: string[] = [];
    const reader = new FileTokenStore({ path, now: clock.now, onWarning: (m) => warnings.push(m) });
    assert.equal(await reader.get('k'), undefined, 'never served');
    assert.equal(await reader.get('k'), undefined);
    assert.equal(warnings.length, 1, 'warned once');
    assert.match(warnings[0]!, /1500 s ahead/);
    assert.ok(!warnings[0]!.includes('tok-3f9a'), 'no token in the warning');
    // The file records the issue-relative lifetime beside the token.
    const file = JSON.parse(await readFile(path, 'utf8')) as {
      entries: Record<string, { lifetimeMs: number }>;
    };
    assert.equal(file.entries['k']!.lifetimeMs, 60 * MIN);
    // A writer a few seconds ahead (an NTP correction) is within tolerance.
    const slightly = new FileTokenStore({ path, now: () => clock.now() + 5_000 });
    await slightly.set(
      'k',
      { ...issued, issuedAt: clock.now() + 5_000, expiresAt: clock.now() + 60 * MIN },
      60 * MIN,
    );
    assert.equal((await reader.get('k'))?.accessToken, 'tok-3f9a');
  });

  test('a 0.1 entry without lifetimeMs is checked against expiresAt - issuedAt', async () => {
    const clock = new FakeClock();
    const path = fresh();
    const MIN = 60_000;
    const entry = (issuedAt: number) => ({
      token: { accessToken: 'old', issuedAt, expiresAt: issuedAt + 60 * MIN, type: 'v2.1' },
      deadline: issuedAt + 60 * MIN,
    });
    const reader = new FileTokenStore({ path, now: clock.now, onWarning: () => {} });
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify({ version: 1, entries: { k: entry(clock.now()) } }), {
      mode: 0o600,
    });
    assert.equal((await reader.get('k'))?.accessToken, 'old');
    await writeFile(
      path,
      JSON.stringify({ version: 1, entries: { k: entry(clock.now() + 25 * MIN) } }),
      { mode: 0o600 },
    );
    assert.equal(await reader.get('k'), undefined);
  });

  for (const [name, content] of [
    ['a file that is not JSON', 'garbage\n'],
    ['a half-written file', '{"version":1,"entries":{"k":{"token":{"accessTo'],
    ['JSON of another version', '{"version":2,"entries":[]}'],
  ] as const) {
    test(`${name}: moved aside to <file>.corrupt-<time> with a warning naming it, never overwritten`, async () => {
      const clock = new FakeClock();
      const path = fresh();
      const warnings: string[] = [];
      const store = new FileTokenStore({
        path,
        now: clock.now,
        onWarning: (m) => warnings.push(m),
      });
      await store.set('seed', token('x'), 60_000);
      await writeFile(path, content, { mode: 0o600 });
      assert.equal(await store.get('k'), undefined);

      const aside = `${path}.corrupt-20260101T000000000Z`;
      assert.equal(await readFile(aside, 'utf8'), content, 'kept byte for byte');
      assert.equal(warnings.length, 1);
      assert.ok(warnings[0]!.includes(aside), 'the warning names the new path');
      assert.equal(await store.get('k'), undefined);
      assert.equal(warnings.length, 1, 'nothing more to report once it is aside');
      await store.set('k', token('y'), 60_000);
      assert.equal((await store.get('k'))?.accessToken, 'y');
      assert.equal(await readFile(aside, 'utf8'), content);
    });
  }

  test('a second damaged file at the same moment gets its own name, not the first one', async () => {
    const clock = new FakeClock();
    const path = fresh();
    const warnings: string[] = [];
    const store = new FileTokenStore({ path, now: clock.now, onWarning: (m) => warnings.push(m) });
    await store.set('k', token('x'), 60_000);
    await writeFile(path, 'first', { mode: 0o600 });
    await store.set('k', token('y'), 60_000);
    await writeFile(path, 'second', { mode: 0o600 });
    await store.set('k', token('z'), 60_000);
    const stamp = `${path}.corrupt-20260101T000000000Z`;
    assert.equal(await readFile(stamp, 'utf8'), 'first');
    assert.equal(await readFile(`${stamp}-1`, 'utf8'), 'second');
    assert.equal((await store.get('k'))?.accessToken, 'z');
  });

  test('an empty file is an empty store, not damage', async () => {
    const path = fresh();
    const warnings: string[] = [];
    const store = new FileTokenStore({ path, onWarning: (m) => warnings.push(m) });
    await store.set('k', token('y'), 60_000);
    await writeFile(path, '', { mode: 0o600 });
    assert.equal(await store.get('k'), undefined);
    await store.set('k', token('z'), 60_000);
    assert.deepEqual(warnings, []);
  });

  test('keys that name Object properties are plain keys', async () => {
    const path = fresh();
    const store = new FileTokenStore({ path });
    assert.equal(await store.get('constructor'), undefined);
    await store.set('__proto__', token('p'), 60_000);
    await store.set('toString', token('t'), 60_000);
    const again = new FileTokenStore({ path });
    assert.equal((await again.get('__proto__'))?.accessToken, 'p');
    assert.equal((await again.get('toString'))?.accessToken, 't');
  });

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
    // One table of the toolkit's messages: the option, what it must be, what it got.
    const rows: Array<[string, unknown, string, string]> = [
      [
        'a misspelt option',
        { path: 'x', allowSymlinks: true },
        'allowSymlinks',
        '"allowSymlinks" is not a FileTokenStore option; did you mean "allowSymlink"?',
      ],
      [
        'options not an object',
        'tokens.json',
        'options',
        'FileTokenStore options must be an object (got a string)',
      ],
      [
        'no path',
        {},
        'path',
        '"path" option must be the path of the token file, e.g. ".line-token/tokens.json" (got undefined)',
      ],
      [
        'allowSymlink as text',
        { path: 'x', allowSymlink: 'yes' },
        'allowSymlink',
        '"allowSymlink" option must be true or false (got a string)',
      ],
    ];
    for (const [name, options, argument, message] of rows) {
      assert.throws(
        () => new FileTokenStore(options as never),
        (err: unknown) =>
          err instanceof InvalidArgumentError &&
          err.argument === argument &&
          err.message === message,
        name,
      );
    }
  });

  test('refuses a TTL that is not a positive number, naming the store', async () => {
    const store = new FileTokenStore({ path: join(dir, 'ttl.json') });
    const message = 'FileTokenStore: "ttlMs" must be a positive number of milliseconds (got 0)';
    await assert.rejects(store.set('k', token('a'), 0), { message });
    await assert.rejects(store.acquireLock('k', 0), { message });
    await assert.rejects(store.acquireLock('k', Number.NaN), InvalidArgumentError);
  });
});
