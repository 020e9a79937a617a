// `line-token token --store` run by cron while LINE loses every issue answer and cannot
// list the live key ids: each run is a new process, and the ledger of unresolved issues in
// the store file keeps the runs together within the slot budget. The built CLI as a child
// process against the emulator (build first; npm test does).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateKeyPair } from '../../../src/assertion/index.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { TOKEN_MANAGER_DEFAULTS } from '../../../src/manager/defaults.js';
import { runChild } from '../helpers.js';
import { writeFile } from 'node:fs/promises';
import { suiteScope, tempDirFor } from '../../fixtures.js';

const BUDGET = TOKEN_MANAGER_DEFAULTS.tokenLimit.unaccountedBudget;

let emu: Emulator;
const dir = tempDirFor(suiteScope(), 'line-token-cli-');

before(async () => {
  emu = await startEmulator({ rateLimit: false });
});
after(() => emu.close());

describe('token command run by cron while answers are lost', () => {
  // 8 CLI processes in a row, each waiting out the manager's backoff after lost answers:
  // about 90 s on a shared 2-core machine, so it asks for a few times that.
  test(
    'stays within the budget across runs, with a failing key-id listing too',
    { timeout: 300_000 },
    async () => {
      const { id: channelId, secret } = await emu.admin.createChannel();
      const pair = await generateKeyPair();
      const { kid } = await emu.admin.registerKey(channelId, pair.publicJwk);
      const keyFile = join(dir, 'key.json');
      await writeFile(keyFile, JSON.stringify(pair.privateJwk), { mode: 0o600 });
      await emu.admin.setFaults({
        operations: {
          // LINE issues, and the answer is lost (the connection drops).
          issueV21: { random: [{ probability: 1, fault: { type: 'lost-answer' } }] },
          getValidKeyIds: { random: [{ probability: 1, fault: { type: 'status', status: 503 } }] },
        },
      });
      const storeFile = join(dir, 'tokens.json');
      const env = {
        LINE_CHANNEL_ID: channelId,
        LINE_ASSERTION_KID: kid,
        LINE_ASSERTION_PRIVATE_KEY: keyFile,
        LINE_CHANNEL_SECRET: secret,
      };
      const issues = async () => (await emu.admin.stats()).requests['issueV21'] ?? 0;
      const perRun: number[] = [];
      for (let run = 0; run < 8; run++) {
        const before = await issues();
        const started = Date.now();
        const r = await runChild(
          ['token', '-t', 'v2.1', '--store', storeFile, '--base-url', emu.url],
          {
            env,
            // The manager backs off after each lost answer before its next attempt (a hang guard).
            timeoutMs: 300_000,
          },
        );
        console.log(`run ${run + 1}: exit ${r.code}, ${Date.now() - started} ms`);
        assert.equal(
          r.code,
          3,
          `run ${run + 1} fails as an API failure: ${JSON.stringify(r.stderr)}`,
        );
        assert.ok(!r.stderr.includes(secret));
        perRun.push((await issues()) - before);
        const live = (await emu.admin.listTokens(channelId)).length;
        assert.ok(live <= BUDGET, `after run ${run + 1}: ${live} live v2.1 tokens <= ${BUDGET}`);
        if (live === BUDGET) {
          assert.match(r.stderr, /may have produced tokens whose answer was lost/);
        }
      }
      console.log(`cron with lost answers: issue requests per run ${perRun.join(', ')}`);
      assert.equal(await issues(), BUDGET, 'the runs together sent exactly the budget');
      assert.deepEqual(perRun.slice(-3), [0, 0, 0], 'later runs ask LINE for nothing');
    },
  );
});
