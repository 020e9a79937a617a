// Many instances of one v2.1 channel as real processes, each with its own TokenManager:
// every instance is served below the ceiling and refused with a typed error at it, and
// processes killed mid-issue run after run leave no more orphans than the budget, because
// the ledger of unresolved issues is in their shared file store. Runs the built package
// (build first; npm test does).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TOKEN_MANAGER_DEFAULTS } from '../../src/manager/defaults.js';
import { assertFreshBuild, startInstance, v21Channel, type Instance } from './instances/harness.js';
import { defer, tempDirFor } from '../fixtures.js';

const BUDGET = TOKEN_MANAGER_DEFAULTS.tokenLimit.unaccountedBudget;
const CEILING = 30 - TOKEN_MANAGER_DEFAULTS.tokenLimit.headroom;

before(assertFreshBuild);

describe('many instances as processes', () => {
  const instances: Instance[] = [];
  after(() => Promise.all(instances.map((i) => i.kill())));

  test('24 processes with their own managers are all served; 16 more while those hold theirs never take the channel past 28, and each refused one gets a typed error', async (t) => {
    const { emu, channelId, strategy } = await v21Channel();
    defer(t, async () => {
      await Promise.all(instances.splice(0).map((i) => i.kill()));
      await emu.close();
    });
    const first = await Promise.all(
      Array.from({ length: 24 }, () => startInstance(emu.url, strategy)),
    );
    instances.push(...first);
    // All at once, as a deployment starts its pods.
    const answers = await Promise.all(first.map((i) => i.token()));
    assert.deepEqual(
      answers.filter((a) => !a.ok),
      [],
      'every one of the 24 served',
    );
    assert.equal((await emu.admin.listTokens(channelId)).length, 24);

    let served = 0;
    const refused = [];
    for (let n = 0; n < 16; n++) {
      const more = await startInstance(emu.url, strategy);
      instances.push(more);
      const answer = await more.token();
      const live = (await emu.admin.listTokens(channelId)).length;
      assert.ok(live <= CEILING, `live ${live} <= ${CEILING} after instance ${25 + n}`);
      if (answer.ok) served++;
      else refused.push(answer);
    }
    assert.equal(served, CEILING - 24, 'served up to the ceiling');
    assert.equal(refused.length, 16 - served);
    for (const r of refused) {
      assert.equal(r.name, 'TokenUnavailableError');
      assert.equal(r.code, 'ERR_LINE_TOKEN_UNAVAILABLE');
      assert.equal(r.permanent, true);
      assert.match(
        r.message ?? '',
        /holds 28 live v2\.1 tokens, at or over the manager's ceiling of 28/,
      );
      assert.match(r.message ?? '', /give them one store/);
    }
    assert.equal((await emu.admin.listTokens(channelId)).length, CEILING);
  });

  // 40 processes started and killed one after another: about 30 s on a shared machine.
  test(
    'a process killed mid-issue 40 times in a row on a file store leaves at most the budget of orphans',
    { timeout: 150_000 },
    async (t) => {
      const { emu, channelId, strategy } = await v21Channel();
      const dir = tempDirFor(t, 'line-token-instances-');
      const storePath = join(dir, 'tokens.json');
      // LINE issues the token, and its answer never arrives before the process is killed.
      await emu.admin.setFaults({
        operations: {
          issueV21: {
            random: [{ probability: 1, fault: { type: 'lost-answer', delayMs: 600_000 } }],
          },
        },
      });
      const issues = async () => (await emu.admin.stats()).requests['issueV21'] ?? 0;
      const outcomes: string[] = [];
      defer(t, async () => {
        await Promise.all(instances.splice(0).map((i) => i.kill()));
        await emu.close();
      });
      for (let run = 0; run < 40; run++) {
        const instance = await startInstance(emu.url, strategy);
        instances.push(instance);
        const before = await issues();
        // A short lock, so the next run takes over a dead holder's lock in a second.
        const answer = instance.token({ storePath, options: { lock: { ttlMs: 1_000 } } });
        let answered = false;
        const outcome = await Promise.race([
          answer.then((a) => {
            answered = true;
            return a.ok ? 'served' : `refused: ${a.message}`;
          }),
          (async () => {
            while (!answered && (await issues()) === before) {
              await new Promise((r) => setTimeout(r, 10));
            }
            return 'issue sent';
          })(),
        ]);
        answered = true;
        outcomes.push(outcome);
        await instance.kill();
      }
      const live = (await emu.admin.listTokens(channelId)).length;
      console.log(
        `40 runs killed mid-issue: ${outcomes.filter((o) => o === 'issue sent').length} issues sent, ${live} live v2.1 tokens`,
      );
      assert.ok(live <= BUDGET, `live ${live} <= budget ${BUDGET}`);
      assert.equal(await issues(), BUDGET, 'no issue sent past the budget');
      const refusals = outcomes.filter((o) => o.startsWith('refused'));
      assert.equal(refusals.length, 40 - BUDGET);
      for (const r of refusals) assert.match(r, /may have produced tokens whose answer was lost/);
    },
  );
});
