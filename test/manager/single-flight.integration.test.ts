// The single-flight promise (LINE caps live tokens), end to end: 10,000 concurrent cold callers of
// one TokenManager on the emulator cause exactly one issue request (counted by the emulator
// itself), and all of them get the same token, which LINE accepts. Per issuing strategy, and once
// more across ten managers sharing one store.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import { TokenManager } from '../../src/manager/manager.js';
import { ISSUE_OP, startLine, type Line, type StrategyName } from './helpers/channel.js';
import { defer } from '../fixtures.js';

const CALLERS = 10_000;

let line: Line;
before(async () => {
  line = await startLine();
});
after(() => line.close());

const strategies: StrategyName[] = [
  'v2.1',
  'stateless-secret',
  'stateless-assertion',
  'short-lived',
];

describe('single flight against the emulator', () => {
  for (const name of strategies) {
    test(`${name}: ${CALLERS.toLocaleString('en')} concurrent cold callers, one issue request, one token`, async (t) => {
      const channel = await line.channel(name);
      const op = ISSUE_OP[name];
      const manager = new TokenManager({
        strategy: channel.strategy,
        clientOptions: { baseUrl: line.emu.url },
      });
      defer(t, () => manager.close());
      const issuedBefore = await line.count(op);
      const kidListsBefore = await line.count('getValidKeyIds');
      const tokens = await Promise.all(Array.from({ length: CALLERS }, () => manager.getToken()));

      assert.equal(await line.count(op), issuedBefore + 1, 'exactly one issue request');
      const distinct = new Set(tokens);
      assert.equal(distinct.size, 1, 'every caller got the same token');
      assert.equal(tokens.length, CALLERS);
      const [token] = distinct;
      assert.ok(await channel.accepts(token!), 'LINE accepts it for this channel');
      assert.equal(manager.status().counts.issued, 1);
      if (name === 'v2.1') {
        // The limit check before the issue is single-flight too.
        assert.equal(await line.count('getValidKeyIds'), kidListsBefore + 1);
      }
      if (name === 'v2.1' || name === 'short-lived') {
        const live = await line.emu.admin.listTokens(channel.id);
        assert.deepEqual(
          live.map((t) => t.accessToken),
          [token],
          'the channel holds just this one',
        );
      }
    });
  }

  test('10 managers on one shared store x 1,000 cold callers each: one issue request', async (t) => {
    const channel = await line.channel('stateless-secret');
    const store = new MemoryTokenStore();
    const managers = Array.from(
      { length: 10 },
      () =>
        new TokenManager({
          strategy: channel.strategy,
          clientOptions: { baseUrl: line.emu.url },
          store,
        }),
    );
    defer(t, () => Promise.all(managers.map((m) => m.close())));
    const issuedBefore = await line.count('issueStateless');
    const tokens = await Promise.all(
      managers.flatMap((m) => Array.from({ length: 1_000 }, () => m.getToken())),
    );
    assert.equal(await line.count('issueStateless'), issuedBefore + 1);
    assert.equal(new Set(tokens).size, 1);
    assert.ok(await channel.accepts(tokens[0]!));
    const counts = managers.map((m) => m.status().counts);
    assert.equal(
      counts.reduce((sum, c) => sum + c.issued, 0),
      1,
      'one manager issued',
    );
    assert.equal(
      counts.reduce((sum, c) => sum + c.adopted, 0),
      9,
      'the nine others took it from the store',
    );
  });
});
