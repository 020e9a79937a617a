// Declares the fault-matrix tests of one token family (see soak.ts); one test file per
// family, so the three run side by side on CI's two cores.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TOKEN_MANAGER_DEFAULTS } from '../../../src/manager/defaults.js';
import type { StrategyName } from './emulator.js';
import { FAULT_NAMES, soak, type SoakRun } from './soak.js';

export const SOAK_LIFETIMES = Number(process.env.LIFETIMES ?? 50);
const PROBABILITY = 0.6;

function row(family: string, fault: string, run: SoakRun): string {
  return [
    family.padEnd(16),
    fault.padEnd(26),
    String(family === 'v2.1' ? run.maxLive : '-').padEnd(8),
    `${run.issued} (${run.issueRequests})`.padEnd(17),
    String(run.maxUnaccounted).padEnd(15),
    (run.recoveryMs / 1000).toFixed(0),
  ].join(' | ');
}

/** The seven fault cells for `family`, printing the figures at the end. */
export function faultMatrix(family: StrategyName): void {
  const rows: string[] = [];
  after(() => {
    console.log(
      `\nfault matrix: ${family}, ${SOAK_LIFETIMES} lifetimes, ${PROBABILITY * 100}% of issue requests faulted, budget ${TOKEN_MANAGER_DEFAULTS.tokenLimit.unaccountedBudget}\n` +
        'family           | fault                      | max live | issued (requests) | max unaccounted | recovery s\n' +
        rows.join('\n'),
    );
  });
  describe(`${family} under each fault, ${SOAK_LIFETIMES} lifetimes`, () => {
    for (const fault of FAULT_NAMES) {
      test(`${fault}: bounded live tokens, no failure while a valid token existed, prompt recovery`, async () => {
        const run = await soak(family, fault, {
          lifetimes: SOAK_LIFETIMES,
          probability: PROBABILITY,
        });
        rows.push(row(family, fault, run));
        assert.equal(run.invalidServed, 0, 'every token served was live');
        assert.equal(run.failedWhileValid, 0, 'no failure while a valid token existed');
        if (family === 'v2.1') {
          assert.ok(
            run.maxLive <= 2 + TOKEN_MANAGER_DEFAULTS.tokenLimit.unaccountedBudget,
            `live v2.1 tokens ${run.maxLive} <= 1 current + 1 superseded + ${TOKEN_MANAGER_DEFAULTS.tokenLimit.unaccountedBudget}`,
          );
        }
        // The recovery is looked at in steps of 10 s of virtual time.
        assert.ok(
          run.recoveryMs <= run.recoveryBoundMs + 10_000,
          `served ${run.recoveryMs} ms after the faults stopped (bound ${run.recoveryBoundMs} ms)`,
        );
        assert.ok(run.issued >= SOAK_LIFETIMES / 2, `the run rotated tokens (${run.issued})`);
      });
    }
  });
}
