// status() speaks whole milliseconds, like every epoch time a person or a metrics system
// reads, although the refresh time (jittered) and the backoff are fractional inside.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TokenManager } from '../../src/manager/manager.js';
import { defer } from '../fixtures.js';

const CHANNEL = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ channels: [{ id: CHANNEL, secret: SECRET }] });
});
after(() => emu.close());

describe('TokenManager status() times', () => {
  test('are whole milliseconds, with jitter and after a failed attempt', async (t) => {
    // A clock with a fraction, and jitter: every derived time would be fractional.
    let now = 1_780_000_000_000.25;
    const manager = new TokenManager({
      strategy: { type: 'short-lived', channelId: CHANNEL, channelSecret: SECRET },
      clientOptions: { baseUrl: emu.url, retry: { limit: 0 } },
      refresh: { jitter: 0.25 },
      now: () => now,
    });
    defer(t, () => manager.close());
    await manager.getToken();
    const status = manager.status();
    for (const field of ['issuedAt', 'expiresAt', 'refreshAt'] as const) {
      const value = status[field];
      assert.ok(value !== undefined && Number.isInteger(value), `${field}: ${value}`);
    }
    assert.ok((status.refreshAt ?? 0) > now);

    // A failed refresh sets the next attempt after a jittered backoff.
    await emu.admin.setFaults({
      operations: { issueShortLived: { sequence: [{ type: 'status', status: 503 }] } },
    });
    now = (status.refreshAt ?? 0) + 0.5;
    await manager.getToken();
    await manager.idle();
    const failed = manager.status();
    assert.equal(failed.counts.issued, 1, 'the refresh failed');
    assert.ok(failed.nextAttemptAt !== undefined, 'a next attempt is planned');
    assert.ok(Number.isInteger(failed.nextAttemptAt), `nextAttemptAt: ${failed.nextAttemptAt}`);
  });
});
