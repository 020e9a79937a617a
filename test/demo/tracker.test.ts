import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenTracker } from '../../src/demo/tracker.js';
import { LineNetworkError } from '../../src/errors.js';

const DAY = 86_400_000;
const TOKEN_A = 'eyJhbGciOiJIUzI1NiJ9.tokenA.sig';
const TOKEN_B = 'eyJhbGciOiJIUzI1NiJ9.tokenB.sig';

describe('TokenTracker', () => {
  test('numbers tokens, rows each event and never puts a token in a row', () => {
    let now = 0;
    const tracker = new TokenTracker({ now: () => now, originMs: 0 });
    const issued = { type: 'v2.1', channelId: '1', issuedAt: 0 } as const;
    tracker.hooks.onTokenIssued({
      ...issued,
      accessToken: TOKEN_A,
      keyId: 'keyAAAAAAAAAAAAAAAAAAA',
      expiresAt: DAY,
      refreshAt: 0.8 * DAY,
    });
    now = 0.8 * DAY;
    tracker.hooks.onTokenIssued({
      ...issued,
      accessToken: TOKEN_B,
      keyId: 'keyBBBBBBBBBBBBBBBBBBB',
      issuedAt: now,
      expiresAt: now + DAY,
      refreshAt: now + 0.8 * DAY,
    });
    now += 60_000;
    tracker.hooks.onRevoked({
      type: 'v2.1',
      channelId: '1',
      keyId: 'keyAAAAAAAAAAAAAAAAAAA',
      reason: 'superseded',
    });
    tracker.hooks.onRefreshError({
      error: new LineNetworkError('issueV21'),
      permanent: false,
      nextAttemptAt: now + 1_000,
      servingCurrentToken: true,
    });
    tracker.hooks.onWarning({ code: 'REVOKE_FAILED', message: 'could not revoke' });

    assert.equal(tracker.issued, 2);
    assert.equal(tracker.revoked, 1);
    assert.deepEqual(tracker.lookup(TOKEN_A), { n: 1, expiresAt: DAY });
    assert.equal(tracker.lookup(TOKEN_B)?.n, 2);
    assert.equal(tracker.lookup('unknown'), undefined);

    const rows = tracker.drain();
    assert.deepEqual(
      rows.map((r) => [r.at, r.event, r.token]),
      [
        [0, 'issued', 1],
        [0.8 * DAY, 'refreshed', 2],
        [0.8 * DAY + 60_000, 'revoked', 1],
        [0.8 * DAY + 60_000, 'error', undefined],
        [0.8 * DAY + 60_000, 'warning', undefined],
      ],
    );
    assert.equal(
      rows[0]?.detail,
      'key_id keyAAAAA…, expires day 1 00:00:00, refresh due day 0 19:12:00',
    );
    assert.equal(
      rows[1]?.detail,
      'proactive: replaces #1 4h 48m before it expires; key_id keyBBBBB…, expires day 1 19:12:00',
    );
    assert.equal(rows[2]?.detail, 'superseded, after its 1 min grace period (key_id keyAAAAA…)');
    assert.match(
      rows[3]?.detail ?? '',
      /^network error during issueV21.*\(current token still served\)$/,
    );
    assert.equal(rows[4]?.detail, 'could not revoke');
    const text = JSON.stringify(rows);
    assert.ok(!text.includes('tokenA') && !text.includes('tokenB'));
    assert.deepEqual(tracker.drain(), []);
  });
});
