// LINE's per-channel rate limits: the bucket itself on a frozen clock, then over HTTP with the
// rate clock frozen too, so the counts are exact and nothing depends on the machine's speed.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { EmulatorCore } from '../../src/emulator/internal/core.js';
import {
  BROADCAST_RATE_PER_HOUR,
  DEFAULT_RATE_PER_SEC,
  MULTICAST_RATE_PER_SEC,
  RateLimiter,
  SHORT_LIVED_ISSUE_RATE_PER_SEC,
} from '../../src/emulator/rate-limit.js';
import { createEmulatorServer } from '../../src/emulator/internal/server.js';
import { postForm, T0 } from './helpers.js';
import { closeAfter } from '../fixtures.js';

const A = { id: '1500000001', secret: 'a'.repeat(32) };
const B = { id: '1500000002', secret: 'b'.repeat(32) };
const RATE_LIMITED = { message: 'The API rate limit has been exceeded. Try again later.' };

describe('RateLimiter', () => {
  test("follows LINE's table for the Messaging API: multicast 200/s, broadcast 60/hour", () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    const drain = (endpoint: string) => {
      let n = 0;
      while (limiter.take(A.id, endpoint)) n++;
      return n;
    };
    assert.equal(drain('multicast'), MULTICAST_RATE_PER_SEC);
    assert.equal(drain('broadcast'), BROADCAST_RATE_PER_HOUR);
    assert.equal(drain('push'), DEFAULT_RATE_PER_SEC);
    now += 59_000;
    assert.ok(!limiter.take(A.id, 'broadcast'), 'one broadcast comes back per minute');
    now += 1_000;
    assert.ok(limiter.take(A.id, 'broadcast'));
  });

  test('holds one second of requests per channel and endpoint, and refills with time', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    let admitted = 0;
    while (limiter.take(A.id, 'issueShortLived')) admitted++;
    assert.equal(admitted, SHORT_LIVED_ISSUE_RATE_PER_SEC);
    assert.ok(limiter.take(B.id, 'issueShortLived'), 'other channels have their own bucket');
    assert.ok(limiter.take(A.id, 'verify'), 'the other endpoints have their own bucket');
    now += 1000 / SHORT_LIVED_ISSUE_RATE_PER_SEC;
    assert.ok(limiter.take(A.id, 'issueShortLived'), 'one request back after 1/370 s');
    assert.ok(!limiter.take(A.id, 'issueShortLived'));
    now += 10_000;
    admitted = 0;
    while (limiter.take(A.id, 'issueShortLived')) admitted++;
    assert.equal(
      admitted,
      SHORT_LIVED_ISSUE_RATE_PER_SEC,
      'a bucket never holds more than a second',
    );
  });

  test('allows 2,000 per second for the other endpoints', () => {
    const limiter = new RateLimiter(() => 0);
    let admitted = 0;
    while (limiter.take(A.id, 'verify')) admitted++;
    assert.equal(admitted, DEFAULT_RATE_PER_SEC);
  });
});

async function serve(rateLimit: boolean) {
  const core = new EmulatorCore({
    now: () => T0,
    rateLimit,
    seed: 1,
    channels: [A, B],
    rateClock: () => 0,
  });
  const server = createEmulatorServer(core, undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const issue = (url: string, ch: typeof A) =>
  postForm(url, '/v2/oauth/accessToken', {
    grant_type: 'client_credentials',
    client_id: ch.id,
    client_secret: ch.secret,
  });

describe('rate limits over HTTP', () => {
  test('the 371st short-lived issue in one second is a 429 with LINE message; other channels go on', async (t) => {
    const emu = closeAfter(t, await serve(true));
    for (let i = 0; i < SHORT_LIVED_ISSUE_RATE_PER_SEC; i++) {
      assert.equal((await issue(emu.url, A)).status, 200);
    }
    const over = await issue(emu.url, A);
    assert.equal(over.status, 429);
    assert.deepEqual(over.json, RATE_LIMITED);
    assert.ok(over.headers['x-line-request-id']);
    assert.equal((await issue(emu.url, B)).status, 200);
    // Verify is limited per channel too, on the 2,000/s bucket, which is still full.
    const tokens = await issue(emu.url, B);
    const token = (tokens.json as { access_token: string }).access_token;
    assert.equal(
      (await postForm(emu.url, '/v2/oauth/verify', { access_token: token })).status,
      200,
    );
  });

  test('rateLimit: false switches the limits off', async (t) => {
    const emu = closeAfter(t, await serve(false));
    for (let i = 0; i < SHORT_LIVED_ISSUE_RATE_PER_SEC + 30; i++) {
      assert.equal((await issue(emu.url, A)).status, 200);
    }
  });
});
