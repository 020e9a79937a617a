import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import type { StoredToken } from '../../src/manager/store.js';
import { FakeClock } from './helpers/fake-clock.js';

const token = (accessToken: string): StoredToken => ({
  accessToken,
  expiresAt: 2_000_000,
  issuedAt: 1_000_000,
  type: 'v2.1',
  keyId: 'kid-1',
});

describe('MemoryTokenStore', () => {
  test('returns copies: mutating what was read or written changes nothing stored', async () => {
    const store = new MemoryTokenStore();
    const written = token('a');
    await store.set('k', written, 60_000);
    written.accessToken = 'changed';
    const read = await store.get('k');
    assert.equal(read?.accessToken, 'a');
    read!.accessToken = 'changed again';
    assert.equal((await store.get('k'))?.accessToken, 'a');
  });

  test('forgets a value once its TTL has passed on the injected clock', async () => {
    const clock = new FakeClock();
    const store = new MemoryTokenStore({ now: clock.now });
    await store.set('k', token('a'), 1000);
    clock.jump(999);
    assert.equal((await store.get('k'))?.accessToken, 'a');
    clock.jump(1);
    assert.equal(await store.get('k'), undefined);
  });

  test('waitForChange(key, Infinity) waits for the change, not a 1 ms timer', async () => {
    const store = new MemoryTokenStore();
    let woke = false;
    const wait = store.waitForChange('k', Number.POSITIVE_INFINITY).then(() => (woke = true));
    // Well past the 1 ms an overflowing setTimeout would fire after.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(woke, false, 'still waiting');
    await store.set('k', token('a'), 1000);
    await wait;
    assert.equal(woke, true);
  });

  test('arguments of the wrong type are InvalidArgumentErrors, as rejections', async () => {
    const store = new MemoryTokenStore();
    const bad = { toString: 5 } as never;
    await assert.rejects(store.get(bad), InvalidArgumentError);
    await assert.rejects(store.set('k', null as never, 1000), InvalidArgumentError);
    await assert.rejects(store.delete(Symbol('k') as never), InvalidArgumentError);
    await assert.rejects(store.acquireLock('k', bad), InvalidArgumentError);
    await assert.rejects(store.waitForChange('k', Number.NaN), InvalidArgumentError);
    await assert.rejects(store.waitForChange('k', 10, {} as never), InvalidArgumentError);
  });

  test('delete removes; a bad TTL is refused', async () => {
    const store = new MemoryTokenStore();
    await store.set('k', token('a'), 1000);
    await store.delete('k');
    assert.equal(await store.get('k'), undefined);
    await assert.rejects(store.set('k', token('a'), 0), InvalidArgumentError);
    await assert.rejects(store.set('k', token('a'), Number.NaN), InvalidArgumentError);
  });

  test('options are checked: a clock that is no function, an unknown key', () => {
    assert.throws(
      () => new MemoryTokenStore({ now: 5 as never }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.message === '"now" option must be a function (got 5)',
    );
    assert.throws(
      () => new MemoryTokenStore({ clock: Date.now } as never),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'clock',
    );
  });

  test('the lock is exclusive until released, and only its holder releases it', async () => {
    const clock = new FakeClock();
    const store = new MemoryTokenStore({ now: clock.now });
    const first = await store.acquireLock('k', 10_000);
    assert.ok(first);
    assert.equal(await store.acquireLock('k', 10_000), undefined);
    assert.ok(await store.acquireLock('other', 10_000), 'locks are per key');
    await first.release();
    const second = await store.acquireLock('k', 10_000);
    assert.ok(second);
    // A stale handle must not free the new holder's lock.
    await first.release();
    assert.equal(await store.acquireLock('k', 10_000), undefined);
  });

  test("a crashed holder's lock is taken over after its TTL", async () => {
    const clock = new FakeClock();
    const store = new MemoryTokenStore({ now: clock.now });
    const crashed = await store.acquireLock('k', 5000);
    assert.ok(crashed);
    clock.jump(5000);
    const next = await store.acquireLock('k', 5000);
    assert.ok(next);
    await crashed.release();
    assert.equal(await store.acquireLock('k', 5000), undefined, 'the late release freed nothing');
  });

  test('waitForChange wakes on set, on delete and on a lock release, and times out otherwise', async () => {
    const store = new MemoryTokenStore();
    let woke = false;
    const waiting = store.waitForChange('k', 60_000).then(() => (woke = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(woke, false);
    await store.set('k', token('a'), 1000);
    await waiting;
    assert.equal(woke, true);

    const onDelete = store.waitForChange('k', 60_000);
    await store.delete('k');
    await onDelete;

    const lock = await store.acquireLock('k', 1000);
    const onRelease = store.waitForChange('k', 60_000);
    await lock!.release();
    await onRelease;

    // Another key's change does not wake it; its timeout does.
    const started = Date.now();
    const timeout = store.waitForChange('k', 20);
    await store.set('other', token('b'), 1000);
    await timeout;
    assert.ok(Date.now() - started >= 15);
  });

  test('waitForChange returns at once for an aborted signal and on abort', async () => {
    const store = new MemoryTokenStore();
    await store.waitForChange('k', 60_000, AbortSignal.abort());
    const controller = new AbortController();
    const waiting = store.waitForChange('k', 60_000, controller.signal);
    controller.abort();
    await waiting;
  });

  test('refuses a now option that is not a function', () => {
    assert.throws(() => new MemoryTokenStore({ now: 5 as never }), InvalidArgumentError);
  });
});
