// User hooks that fail, synchronously or as an `async` function whose promise rejects: each
// failure is reported as HOOK_FAILED through onWarning and changes nothing else, a failing
// onWarning is dropped (never reported to itself), and no rejection is left unhandled (which
// would crash a Node process).
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LineApiError, TokenUnavailableError } from '../../src/errors.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import type { TokenManagerWarning } from '../../src/manager/types.js';
import { tempDirFor } from '../fixtures.js';
import { FakeClock, settle } from './helpers/fake-clock.js';
import { harness, ScriptedIssuer } from './helpers/scripted.js';

/** Runs `body`, returning every rejection nobody handled meanwhile. */
async function unhandledRejectionsOf(body: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => {
    seen.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    await body();
    // Unhandled rejections are detected after the microtask queue drains.
    await settle(10);
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

const rejecting = (what: string) => (): Promise<void> => Promise.reject(new Error(what));

const hookFailures = (warnings: TokenManagerWarning[]): string[] =>
  warnings.filter((w) => w.code === 'HOOK_FAILED').map((w) => w.message);

describe('hooks that fail', () => {
  test('an async onTokenIssued that rejects is HOOK_FAILED; the token is still served', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher, warnings } = harness(clock, issuer, {
      onTokenIssued: rejecting('issued hook bug'),
    });
    const unhandled = await unhandledRejectionsOf(async () => {
      assert.equal(await refresher.getToken(), issuer.issued[0]);
    });
    assert.deepEqual(unhandled, []);
    assert.deepEqual(hookFailures(warnings), ['the onTokenIssued hook failed']);
    assert.equal((warnings[0]!.cause as Error).message, 'issued hook bug');
    assert.equal(await refresher.getToken(), issuer.issued[0], 'nothing else changed');
    assert.equal(issuer.issueCalls, 1);
    await refresher.close();
  });

  test('an async onRefreshError that rejects is HOOK_FAILED; the caller gets its own error', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    issuer.failures.push(new LineApiError({ operation: 'issueV21', status: 500 }));
    const { refresher, warnings } = harness(clock, issuer, {
      retry: { limit: 0 },
      onRefreshError: rejecting('refresh-error hook bug'),
    });
    const unhandled = await unhandledRejectionsOf(async () => {
      await assert.rejects(refresher.getToken(), TokenUnavailableError);
    });
    assert.deepEqual(unhandled, []);
    assert.deepEqual(hookFailures(warnings), ['the onRefreshError hook failed']);
    await refresher.close();
  });

  test('an async onRevoked that rejects is HOOK_FAILED; the token is still revoked', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const { refresher, warnings } = harness(clock, issuer, {
      revoke: { onClose: true },
      onRevoked: rejecting('revoked hook bug'),
    });
    const token = await refresher.getToken();
    const unhandled = await unhandledRejectionsOf(() => refresher.close());
    assert.deepEqual(unhandled, []);
    assert.deepEqual(issuer.revoked, [token]);
    assert.deepEqual(hookFailures(warnings), ['the onRevoked hook failed']);
  });

  test('an async onWarning that rejects is called once per warning, never for its own failure', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    const seen: string[] = [];
    const { refresher } = harness(clock, issuer, {
      onTokenIssued: rejecting('issued hook bug'),
      onWarning: (w) => {
        seen.push(w.code);
        return Promise.reject(new Error('warning hook bug'));
      },
    });
    const unhandled = await unhandledRejectionsOf(async () => {
      assert.equal(await refresher.getToken(), issuer.issued[0]);
    });
    assert.deepEqual(unhandled, []);
    assert.deepEqual(seen, ['HOOK_FAILED']);
    await refresher.close();
  });

  test('an onWarning that throws is called once and breaks nothing', async () => {
    const clock = new FakeClock();
    const issuer = new ScriptedIssuer(clock);
    let calls = 0;
    const { refresher } = harness(clock, issuer, {
      onTokenIssued: () => {
        throw new Error('issued hook bug');
      },
      onWarning: () => {
        calls++;
        throw new Error('warning hook bug');
      },
    });
    assert.equal(await refresher.getToken(), issuer.issued[0]);
    assert.equal(calls, 1);
    await refresher.close();
  });

  test("a file store's async onWarning that rejects leaves no unhandled rejection", async (t) => {
    const path = join(tempDirFor(t, 'line-token-hooks-'), 'tokens.json');
    await writeFile(path, 'not a token file\n', { mode: 0o600 });
    let calls = 0;
    const store = new FileTokenStore({
      path,
      onWarning: () => {
        calls++;
        return Promise.reject(new Error('store warning hook bug'));
      },
    });
    const unhandled = await unhandledRejectionsOf(async () => {
      assert.equal(await store.get('k'), undefined);
    });
    assert.deepEqual(unhandled, []);
    assert.equal(calls, 1);
  });
});
