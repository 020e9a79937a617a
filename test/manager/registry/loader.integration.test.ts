// TokenManagerRegistry with a credentials loader: stateless channels in the compact token
// table, loaded once on first use (and again after LINE refused the credentials), evicted
// least recently used past maxChannels with their tokens kept in the store, never served
// past their expiry, and a caller whose issue waits too long in the queue told so. On the
// real emulator, driven by a fake clock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ChannelAccessTokenClient } from '../../../src/client/client.js';
import { InvalidArgumentError, TokenUnavailableError } from '../../../src/errors.js';
import { MemoryTokenStore } from '../../../src/manager/memory-store.js';
import { TokenManagerRegistry } from '../../../src/manager/registry.js';
import type { TokenStrategy } from '../../../src/manager/types.js';
import { startLine, type Line } from '../helpers/channel.js';
import { FakeClock, settle } from '../helpers/fake-clock.js';
import { defer } from '../../fixtures.js';

let line: Line;
before(async () => {
  line = await startLine();
});
after(() => line.close());

async function channels(n: number): Promise<Map<string, TokenStrategy>> {
  const out = new Map<string, TokenStrategy>();
  for (let i = 0; i < n; i++) {
    const c = await line.channel('stateless-secret');
    out.set(c.id, c.strategy);
  }
  return out;
}

function loaderOf(strategies: Map<string, TokenStrategy>, calls: string[]) {
  return (channelId: string): Promise<TokenStrategy> => {
    calls.push(channelId);
    const s = strategies.get(channelId);
    return s ? Promise.resolve(s) : Promise.reject(new Error('no such channel'));
  };
}

describe('TokenManagerRegistry with a credentials loader', () => {
  test('loads each channel once, however many callers, and serves from the table after', async (t) => {
    const strategies = await channels(3);
    const calls: string[] = [];
    const before = await line.count('issueStateless');
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url } },
      credentials: loaderOf(strategies, calls),
    });
    defer(t, () => registry.close());
    const ids = [...strategies.keys()];
    const tokens = await Promise.all(
      ids.flatMap((id) => [1, 2, 3].map(() => registry.getToken(id))),
    );
    assert.deepEqual(calls.sort(), [...ids].sort());
    for (let i = 0; i < ids.length; i++) {
      assert.equal(new Set(tokens.slice(i * 3, i * 3 + 3)).size, 1, 'one token per channel');
    }
    assert.equal(await line.count('issueStateless'), before + 3);
    for (const id of ids) await registry.getToken(id);
    assert.equal(await line.count('issueStateless'), before + 3, 'served from the table');
    const status = registry.status();
    assert.equal(status.channels, 3);
    assert.equal(status.tokens.fresh, 3);
    assert.equal(status.peakRefreshesInFlight <= 32, true);
  });

  test('evicts the least recently used past maxChannels; its token comes back from the store', async (t) => {
    const strategies = await channels(3);
    const [a, b, c] = [...strategies.keys()] as [string, string, string];
    const calls: string[] = [];
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url }, store: new MemoryTokenStore() },
      credentials: loaderOf(strategies, calls),
      maxChannels: 2,
    });
    defer(t, () => registry.close());
    const tokenA = await registry.getToken(a);
    await registry.getToken(b);
    const issued = await line.count('issueStateless');
    await registry.getToken(c); // evicts one of a, b
    assert.equal(registry.status().evictions, 1);
    assert.equal(registry.status().loadedChannels, 2);
    assert.equal(await line.count('issueStateless'), issued + 1);
    // a comes back (evicting another): the loader is asked again, LINE is not.
    calls.length = 0;
    const again = await registry.getToken(a);
    const b2 = await registry.getToken(b);
    assert.ok(calls.length >= 1 && calls.length <= 2);
    assert.equal(again, tokenA, 'the stored token, not a new one');
    assert.ok((await line.channel) && b2.length > 0);
    assert.equal(await line.count('issueStateless'), issued + 1, 'nothing issued on re-activation');
    assert.equal(registry.status().loadedChannels, 2);
  });

  test('asks the loader again after LINE refused the credentials it gave', async (t) => {
    const [[id, strategy]] = [...(await channels(1))] as [[string, TokenStrategy]];
    const wrong = {
      ...strategy,
      channelSecret: 'ffffffffffffffffffffffffffffffff',
    } as TokenStrategy;
    const given = [wrong, strategy];
    const calls: string[] = [];
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url } },
      credentials: (channelId) => {
        calls.push(channelId);
        return given.shift()!;
      },
    });
    defer(t, () => registry.close());
    await assert.rejects(
      registry.getToken(id),
      (err: unknown) => err instanceof TokenUnavailableError && err.permanent,
    );
    assert.equal(calls.length, 1);
    assert.ok((await line.emu) && (await registry.getToken(id)).length > 0);
    assert.deepEqual(calls, [id, id], 'loaded again once, after the refusal');
    assert.equal(registry.status().failuresByCause['ERR_LINE_API:400'] ?? 0, 1);
  });

  test('never serves a token past its expiry margin: the next call issues anew', async (t) => {
    const strategies = await channels(1);
    const [id] = [...strategies.keys()] as [string];
    const clock = new FakeClock(Date.now());
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url }, now: clock.now, timers: clock },
      credentials: loaderOf(strategies, []),
    });
    defer(t, () => registry.close());
    const first = await registry.getToken(id);
    // Nobody asks during the window, so no background refresh: the token lapses.
    await clock.advance(15 * 60_000);
    const second = await registry.getToken(id);
    assert.notEqual(second, first);
  });

  test('a caller whose issue never left the queue gets an error naming the queue', async (t) => {
    const strategies = await channels(2);
    const [a, b] = [...strategies.keys()] as [string, string];
    const clock = new FakeClock(Date.now());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = 0;
    const client = new ChannelAccessTokenClient({
      baseUrl: line.emu.url,
      retry: false,
      fetch: async (input, init) => {
        held++;
        await gate;
        return fetch(input, init);
      },
    });
    const registry = new TokenManagerRegistry({
      defaults: { client, now: clock.now, timers: clock },
      credentials: loaderOf(strategies, []),
      maxConcurrentIssues: 1,
      queueTimeoutMs: 5_000,
    });
    defer(t, async () => {
      release();
      await registry.close();
    });
    const first = registry.getToken(a);
    // Caught at once: it rejects inside clock.advance(), before the assertion attaches.
    const second = registry.getToken(b).catch((err: unknown) => Promise.reject(err));
    second.catch(() => undefined);
    await settle(20);
    assert.equal(held, 1, 'one issue in flight, the other queued');
    assert.equal(registry.status().queueLength, 1);
    assert.equal(registry.queueLength, 1);
    await clock.advance(5_000);
    await assert.rejects(
      second,
      (err: unknown) =>
        err instanceof TokenUnavailableError &&
        !err.permanent &&
        /issue queue/.test(err.message) &&
        /maxConcurrentIssues/.test(err.message),
    );
    assert.equal(registry.status().failuresByCause['queue'], 1);
    release();
    assert.ok((await first).length > 0);
  });

  test('v2.1 and short-lived channels from the loader get a full TokenManager, issuing through the queue', async (t) => {
    const v21 = await line.channel('v2.1');
    const short = await line.channel('short-lived');
    const byId = new Map([
      [v21.id, v21],
      [short.id, short],
    ]);
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url } },
      credentials: (id) => byId.get(id)!.strategy,
      maxConcurrentIssues: 1,
    });
    defer(t, () => registry.close());
    const [a, b] = await Promise.all([registry.getToken(v21.id), registry.getToken(short.id)]);
    assert.ok(await v21.accepts(a));
    assert.ok(await short.accepts(b));
    assert.equal(registry.get(v21.id)?.status().type, 'v2.1', 'a manager of its own');
    const s = registry.status();
    assert.equal(s.loadedChannels, 2);
    assert.equal(s.peakRefreshesInFlight, 1, 'both issues went through the one-place queue');
    assert.equal(await registry.getToken(v21.id), a);
  });

  test("register()ed channels issue through the registry's queue too", async (t) => {
    const chans = await Promise.all([1, 2, 3].map(() => line.channel('stateless-secret')));
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url } },
      maxConcurrentIssues: 2,
    });
    defer(t, () => registry.close());
    for (const c of chans) registry.register(c.id, { strategy: c.strategy });
    const tokens = await Promise.all(chans.map((c) => registry.getToken(c.id)));
    for (const [i, c] of chans.entries()) assert.ok(await c.accepts(tokens[i]!));
    assert.equal(registry.status().peakRefreshesInFlight, 2);
    assert.equal(registry.status().channels, 3);
  });

  test("getToken() reads its options as a manager does: typos refused, an abort ends one caller's wait", async (t) => {
    const strategies = await channels(1);
    const [id] = [...strategies.keys()] as [string];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const registry = new TokenManagerRegistry({
      defaults: { clientOptions: { baseUrl: line.emu.url } },
      // Held until the test lets it go, so the callers below are surely waiting.
      credentials: async (channelId) => {
        await held;
        return strategies.get(channelId)!;
      },
    });
    defer(t, () => registry.close());
    const refused = (name: string) => (error: unknown) =>
      error instanceof InvalidArgumentError && error.message.includes(name);
    await assert.rejects(
      registry.getToken(id, { sginal: AbortSignal.abort() } as never),
      refused('sginal'),
    );
    await assert.rejects(registry.getToken(id, { signal: 'soon' } as never), refused('signal'));
    const controller = new AbortController();
    const aborted = registry.getToken(id, { signal: controller.signal });
    const patient = registry.getToken(id);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await assert.rejects(aborted, (error) => error === reason);
    release();
    const token = await patient;
    // As with a manager, a token in hand is served whatever the signal: nothing waits.
    assert.equal(await registry.getToken(id, { signal: AbortSignal.abort() }), token);
    await assert.rejects(
      registry.getToken(id, { sginal: AbortSignal.abort() } as never),
      refused('sginal'),
    );
  });
});
