// Retries as data: the delays are recorded instead of slept, so these tests are fast and
// exact. Covers Retry-After in both forms and its cap, backoff and jitter, giving up with
// the last error as cause, and the shouldRetry hook.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  LineApiError,
  LineNetworkError,
  LineTimeoutError,
  type ClientOptions,
  type RetryContext,
  type RetryOptions,
} from '../../src/index.js';
import {
  ASSERTION,
  countedFetch,
  failure,
  OK,
  RATE_LIMITED,
  recordingClient,
  TOKEN,
  UNAVAILABLE,
} from './helpers.js';
import { closedPort, recorderForFile } from './recorder.js';

const server = await recorderForFile();

const clientWith = (retry: Partial<RetryOptions> = {}, extra: ClientOptions = {}) =>
  recordingClient(server.url, retry, extra);

describe('delays', () => {
  test('5xx: exponential backoff from backoffMs, then success', async () => {
    const { client, delays } = clientWith({ backoffMs: 100 });
    server.reply(UNAVAILABLE, { status: 500 }, OK);
    await client.verify({ accessToken: TOKEN });
    assert.equal(server.requests.length, 3);
    assert.deepEqual(delays, [100, 200]);
  });

  test('the backoff is capped at backoffLimitMs', async () => {
    const { client, delays } = clientWith({ limit: 5, backoffMs: 100, backoffLimitMs: 350 });
    server.reply(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, OK);
    await client.verify({ accessToken: TOKEN });
    assert.deepEqual(delays, [100, 200, 350, 350, 350]);
  });

  test('Retry-After in seconds is honoured on a 429', async () => {
    const { client, delays } = clientWith();
    server.reply({ ...RATE_LIMITED, headers: { 'retry-after': '7' } }, OK);
    await client.verifyV21({ accessToken: TOKEN });
    assert.deepEqual(delays, [7000]);
  });

  test('Retry-After as an HTTP date is honoured on a 503', async () => {
    const { client, delays } = clientWith();
    server.reply(
      { ...UNAVAILABLE, headers: { 'retry-after': 'Wed, 01 May 2024 12:00:30 GMT' } },
      OK,
    );
    await client.revoke({ accessToken: TOKEN });
    assert.deepEqual(delays, [30_000]);
  });

  test('Retry-After on a status outside afterStatusCodes is ignored for backoff', async () => {
    const { client, delays } = clientWith({ backoffMs: 100 });
    server.reply({ status: 502, headers: { 'retry-after': '9' } }, OK);
    await client.verify({ accessToken: TOKEN });
    assert.deepEqual(delays, [100]);
  });

  test('a malformed Retry-After falls back to backoff', async () => {
    const { client, delays } = clientWith({ backoffMs: 100 });
    server.reply({ ...RATE_LIMITED, headers: { 'retry-after': 'later' } }, OK);
    await client.verify({ accessToken: TOKEN });
    assert.deepEqual(delays, [100]);
  });

  test('a Retry-After beyond maxRetryAfterMs ends the retries, retryAfterSec set', async () => {
    const { client, delays } = clientWith({ maxRetryAfterMs: 60_000 });
    server.reply({ ...RATE_LIMITED, headers: { 'retry-after': '120' } }, OK);
    const error = await failure(client.verify({ accessToken: TOKEN }));
    assert.ok(error instanceof LineApiError);
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterSec, 120);
    assert.deepEqual(delays, []);
    assert.equal(server.requests.length, 1);
  });

  test('a Retry-After exactly at the cap is still honoured', async () => {
    const { client, delays } = clientWith({ maxRetryAfterMs: 5_000 });
    server.reply({ ...RATE_LIMITED, headers: { 'retry-after': '5' } }, OK);
    await client.verify({ accessToken: TOKEN });
    assert.deepEqual(delays, [5_000]);
  });

  test('full jitter waits between 0 and the backoff', async () => {
    const { client, delays } = clientWith({ jitter: true, limit: 6, backoffMs: 1000 });
    server.reply(UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, OK);
    await client.verify({ accessToken: TOKEN });
    assert.equal(delays.length, 6);
    delays.forEach((ms, i) => assert.ok(ms >= 0 && ms <= 1000 * 2 ** i, `delay ${i}: ${ms}`));
  });

  test('a jitter function maps each backoff', async () => {
    const { client, delays } = clientWith({ jitter: (ms) => ms / 2 + 1, backoffMs: 100 });
    server.reply(UNAVAILABLE, UNAVAILABLE, OK);
    await client.verify({ accessToken: TOKEN });
    assert.deepEqual(delays, [51, 101]);
  });
});

describe('giving up', () => {
  test('after the limit, the error has the last attempt as cause', async () => {
    const { client, delays } = clientWith({ limit: 2, backoffMs: 10 });
    server.reply(
      { status: 500, body: { message: 'first' } },
      { status: 502, body: { message: 'second' } },
      { status: 503, body: { message: 'third' } },
      OK,
    );
    const error = await failure(client.verify({ accessToken: TOKEN }));
    assert.equal(server.requests.length, 3);
    assert.deepEqual(delays, [10, 20]);
    assert.ok(error instanceof LineApiError);
    assert.equal(error.status, 503);
    assert.equal(error.lineMessage, 'third');
    assert.ok(error.cause instanceof LineApiError);
    assert.notEqual(error.cause, error);
    assert.equal(error.cause.lineMessage, 'third');
    assert.equal(error.cause.requestId, error.requestId);
    assert.equal(error.cause.cause, undefined);
  });

  test('timeouts: gives up as a LineTimeoutError caused by the last timeout', async (t) => {
    // Each attempt times out once the server holds it, never before it arrived (a late
    // request would take the next test's scripted answer).
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const counted = countedFetch();
    const { client } = clientWith({ limit: 1 }, { timeoutMs: 30, fetch: counted.fetch });
    server.reply({ hang: true }, { hang: true });
    const outcome = failure(client.verifyV21({ accessToken: TOKEN }));
    for (const n of [1, 2]) {
      await server.received(n);
      t.mock.timers.tick(30);
    }
    const error = await outcome;
    assert.equal(counted.calls(), 2, 'the first attempt and one retry');
    assert.ok(error instanceof LineTimeoutError);
    assert.ok(error.cause instanceof LineTimeoutError);
  });

  test('network errors: gives up as a LineNetworkError caused by the last one', async () => {
    const port = await closedPort();
    const { client } = clientWith({ limit: 2 }, { baseUrl: `http://127.0.0.1:${port}` });
    const error = await failure(client.getValidKeyIds({ assertion: ASSERTION }));
    assert.ok(error instanceof LineNetworkError);
    assert.ok(error.cause instanceof LineNetworkError);
    // Node's own wire (the default here) fails with the socket's error.
    assert.equal(
      (error.cause.cause as { code?: unknown }).code,
      'ECONNREFUSED',
      'the wire failure is still at the bottom',
    );
  });
});

describe('shouldRetry', () => {
  test('is told the operation, the error, the retry count and whether the request was sent', async () => {
    const seen: RetryContext[] = [];
    const { client } = clientWith({ shouldRetry: (context) => void seen.push(context) });
    server.reply(UNAVAILABLE, UNAVAILABLE, OK);
    await client.revoke({ accessToken: TOKEN });
    assert.deepEqual(
      seen.map((c) => [c.operation, c.retryCount, c.requestSent, (c.error as LineApiError).status]),
      [
        ['revoke', 0, true, 503],
        ['revoke', 1, true, 503],
      ],
    );
  });

  test('false stops a retry the policy would make', async () => {
    const { client } = clientWith({ shouldRetry: () => false });
    server.reply(UNAVAILABLE, OK);
    await failure(client.verify({ accessToken: TOKEN }));
    assert.equal(server.requests.length, 1);
  });

  test('true retries what the policy would not (and may be async)', async () => {
    const { client, delays } = clientWith({
      backoffMs: 10,
      shouldRetry: async ({ error }) =>
        error instanceof LineApiError && error.status === 409 ? true : undefined,
    });
    server.reply({ status: 409, body: { message: 'conflict' } }, OK);
    await client.verify({ accessToken: TOKEN });
    assert.equal(server.requests.length, 2);
    assert.deepEqual(delays, [10]);
  });

  test('true cannot go past the limit', async () => {
    let calls = 0;
    const { client } = clientWith({ limit: 1, shouldRetry: () => (calls++, true) });
    server.reply(UNAVAILABLE, UNAVAILABLE, OK);
    await failure(client.verify({ accessToken: TOKEN }));
    assert.equal(server.requests.length, 2);
    assert.equal(calls, 1, 'not asked once the limit is reached');
  });

  test('requestSent is false for a refused connection and unknown for a timeout', async (t) => {
    const port = await closedPort();
    const seen: Array<boolean | undefined> = [];
    const hook = { shouldRetry: (c: RetryContext) => void seen.push(c.requestSent), limit: 1 };
    await failure(
      clientWith(hook, { baseUrl: `http://127.0.0.1:${port}` }).client.verify({
        accessToken: TOKEN,
      }),
    );
    server.reply({ hang: true }, { hang: true });
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const timedOut = failure(
      clientWith(hook, { timeoutMs: 30 }).client.verify({ accessToken: TOKEN }),
    );
    for (const n of [1, 2]) {
      await server.received(n);
      t.mock.timers.tick(30);
    }
    await timedOut;
    assert.deepEqual(seen, [false, undefined]);
  });
});
