// TokenManagerRegistry: several channels on one emulator from one process, with shared
// defaults (one client, one store), each keeping its own tokens; duplicates refused; one
// close() for all.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChannelAccessTokenClient } from '../../src/client/client.js';
import { InvalidArgumentError, TokenUnavailableError } from '../../src/errors.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import { TokenManagerRegistry } from '../../src/manager/registry.js';
import type { TokenIssuedEvent } from '../../src/manager/types.js';
import { startLine, type Line } from './helpers/channel.js';
import { defer } from '../fixtures.js';

let line: Line;
before(async () => {
  line = await startLine();
});
after(() => line.close());

describe('TokenManagerRegistry', () => {
  test('two channels on one emulator, one shared client and store, never mix tokens', async (t) => {
    const a = await line.channel('v2.1');
    const b = await line.channel('stateless-secret');
    const issued: Array<Pick<TokenIssuedEvent, 'channelId' | 'type'>> = [];
    const registry = new TokenManagerRegistry({
      defaults: {
        client: new ChannelAccessTokenClient({ baseUrl: line.emu.url, retry: false }),
        store: new MemoryTokenStore(),
        onTokenIssued: ({ channelId, type }) => issued.push({ channelId, type }),
      },
    });
    defer(t, () => registry.close());
    const managerA = registry.register(a.id, { strategy: a.strategy });
    registry.register(b.id, { strategy: b.strategy });
    assert.equal(registry.get(a.id), managerA);
    assert.deepEqual(registry.keys(), [a.id, b.id]);

    const [tokenA, tokenB] = await Promise.all([registry.getToken(a.id), registry.getToken(b.id)]);
    assert.notEqual(tokenA, tokenB);
    assert.ok(await a.accepts(tokenA), "A's token is A's at LINE");
    assert.ok(await b.accepts(tokenB), "B's token is B's at LINE");
    assert.equal(await a.accepts(tokenB), false);
    assert.equal(await b.accepts(tokenA), false);
    // Asked again (from the shared store and memory), each still gets its own.
    for (let i = 0; i < 3; i++) {
      assert.equal(await registry.getToken(a.id), tokenA);
      assert.equal(await registry.getToken(b.id), tokenB);
    }
    assert.deepEqual(
      (await line.emu.admin.listTokens(a.id)).map((t) => t.accessToken),
      [tokenA],
    );
    assert.deepEqual(
      issued.sort((x, y) => x.type.localeCompare(y.type)),
      [
        { channelId: b.id, type: 'stateless' },
        { channelId: a.id, type: 'v2.1' },
      ],
    );
  });

  test('options given to register() win over the defaults', async (t) => {
    const c = await line.channel('short-lived');
    const fromDefaults: string[] = [];
    const own: string[] = [];
    const registry = new TokenManagerRegistry({
      defaults: {
        clientOptions: { baseUrl: line.emu.url },
        onTokenIssued: ({ channelId }) => fromDefaults.push(channelId),
      },
    });
    defer(t, () => registry.close());
    registry.register(c.id, {
      strategy: c.strategy,
      onTokenIssued: ({ channelId }) => own.push(channelId),
    });
    assert.ok(await c.accepts(await registry.getToken(c.id)));
    assert.deepEqual([fromDefaults, own], [[], [c.id]]);
  });

  test('a duplicate key is refused with a clear error and the first manager stays', () => {
    const registry = new TokenManagerRegistry();
    const first = registry.register('1234567890', {
      strategy: { type: 'static', accessToken: 'first-token' },
    });
    assert.throws(
      () =>
        registry.register('1234567890', {
          strategy: { type: 'static', accessToken: 'second-token' },
        }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.argument === 'key' &&
        /already registered under "1234567890"/.test(err.message) &&
        !/first-token|second-token/.test(err.message),
    );
    assert.equal(registry.get('1234567890'), first);
    assert.deepEqual(registry.keys(), ['1234567890']);
  });

  test('close() closes every manager, once, and the registry takes no more', async () => {
    const a = await line.channel('stateless-secret');
    const b = await line.channel('short-lived');
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url } },
    });
    registry.register('a', { strategy: a.strategy });
    registry.register('b', { strategy: b.strategy });
    registry.register('c', { strategy: { type: 'static', accessToken: 'long-lived' } });
    await Promise.all([registry.getToken('a'), registry.getToken('b')]);

    const closing = registry.close();
    assert.equal(registry.close(), closing, 'a second close() is the same one');
    await closing;
    for (const key of ['a', 'b', 'c']) {
      assert.equal(registry.get(key)!.status().closed, true, `${key} closed`);
      await assert.rejects(registry.getToken(key), TokenUnavailableError);
    }
    assert.throws(
      () => registry.register('d', { strategy: { type: 'static', accessToken: 'x' } }),
      (err: unknown) =>
        err instanceof InvalidArgumentError && /registry is closed/.test(err.message),
    );
  });

  test('an unknown key and bad options get clear errors', async () => {
    const registry = new TokenManagerRegistry();
    await assert.rejects(
      registry.getToken('9999999999'),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        /no TokenManager is registered under "9999999999"/.test(err.message),
    );
    assert.equal(registry.get('9999999999'), undefined);
    assert.throws(
      () => registry.register('', { strategy: { type: 'static', accessToken: 'x' } }),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'key',
    );
    // The manager's own checks still apply to what register() is given.
    assert.throws(
      () =>
        registry.register('x', {
          strategy: { type: 'static', accessToken: 'x' },
          retry: { limit: -1 },
        }),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'retry.limit',
    );
    assert.equal(registry.get('x'), undefined, 'nothing kept from a refused registration');
    for (const own of ['storeKey', 'strategy']) {
      assert.throws(
        () => new TokenManagerRegistry({ defaults: { [own]: 'shared' } as never }),
        (err: unknown) =>
          err instanceof InvalidArgumentError &&
          err.argument === own &&
          /register\(\)/.test(err.message),
      );
    }
  });

  test('defaults merge group by group: a channel setting one retry option keeps the other defaults', () => {
    const registry = new TokenManagerRegistry({
      // A bad default, so the test sees whether it reached the manager.
      defaults: { retry: { limit: 1.5, backoffMs: 5 } },
    });
    const strategy = { type: 'static', accessToken: 'x' } as const;
    assert.throws(
      () => registry.register('a', { strategy, retry: { backoffMs: 10 } }),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'retry.limit',
    );
    // The channel's own value wins over the default, inside the group.
    assert.ok(registry.register('b', { strategy, retry: { limit: 1 } }));
  });

  test('defaults with a 0.1 name or an unknown key are refused at construction', () => {
    assert.throws(
      () => new TokenManagerRegistry({ defaults: { revokeGraceMs: 5 } as never }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.argument === 'revokeGraceMs' &&
        err.message.includes('"revokeGraceMs" is now "revoke.graceMs"'),
    );
    assert.throws(
      () => new TokenManagerRegistry({ defaults: { lock: { ttl: 5 } } as never }),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'lock.ttl',
    );
  });
});
