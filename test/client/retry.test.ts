// Retries as data: the delays are recorded instead of slept, so these tests are fast and
// exact. Covers Retry-After in both forms, the cap, backoff and jitter, the shouldRetry
// hook, giving up with the last error as cause, and the issue-operation policy.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  ALL_OPERATIONS,
  ChannelAccessTokenClient,
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
  type ClientOptions,
  type OperationName,
  type RetryContext,
  type RetryOptions,
} from '../../src/index.js';
import { closedPort, recordDelays, startRecorder, type Recorder } from './recorder.js';

const SECRET = 'retry-test-secret';
const TOKEN = 'retry-test-token';
const ASSERTION = 'a.b.c';
const NOW = Date.parse('2024-05-01T12:00:00Z');

let server: Recorder;
before(async () => {
  server = await startRecorder();
});
after(() => server.close());
beforeEach(() => {
  server.reset();
});

function clientWith(
  retry: Partial<RetryOptions> = {},
  extra: ClientOptions = {},
): { client: ChannelAccessTokenClient; delays: number[] } {
  const { delays, delay } = recordDelays();
  const client = new ChannelAccessTokenClient({
    baseUrl: server.url,
    now: () => NOW,
    retry: { jitter: false, delay, ...retry },
    ...extra,
  });
  return { client, delays };
}

function call(
  client: ChannelAccessTokenClient,
  op: OperationName,
  signal?: AbortSignal,
): Promise<unknown> {
  const options = signal ? { signal } : undefined;
  switch (op) {
    case 'issueShortLived':
      return client.issueShortLived({ channelId: '1', channelSecret: SECRET }, options);
    case 'verify':
      return client.verify({ accessToken: TOKEN }, options);
    case 'revoke':
      return client.revoke({ accessToken: TOKEN }, options);
    case 'issueV21':
      return client.issueV21({ assertion: ASSERTION }, options);
    case 'verifyV21':
      return client.verifyV21({ accessToken: TOKEN }, options);
    case 'revokeV21':
      return client.revokeV21(
        { channelId: '1', channelSecret: SECRET, accessToken: TOKEN },
        options,
      );
    case 'getValidKeyIds':
      return client.getValidKeyIds({ assertion: ASSERTION }, options);
    case 'issueStateless':
      return client.issueStateless({ channelId: '1', channelSecret: SECRET }, options);
  }
}

// A 200 that every operation accepts: a superset of all result shapes.
const OK = {
  body: {
    access_token: 't',
    token_type: 'Bearer',
    expires_in: 900,
    key_id: 'k',
    client_id: '1',
    kids: [],
  },
};
const UNAVAILABLE = { status: 503, body: { message: 'Service Unavailable' } };
const RATE_LIMITED = {
  status: 429,
  body: { message: 'The API rate limit has been exceeded. Try again later.' },
};

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

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

describe('when not to retry', () => {
  for (const status of [400, 401, 403, 404]) {
    test(`${status} is never retried`, async () => {
      const { client, delays } = clientWith();
      server.reply({ status, body: { error: 'invalid_request' } }, OK);
      const error = await failure(client.verify({ accessToken: TOKEN }));
      assert.ok(error instanceof LineApiError);
      assert.equal(error.status, status);
      assert.equal(error.cause, undefined, 'no retry happened, so nothing is wrapped');
      assert.equal(server.requests.length, 1);
      assert.deepEqual(delays, []);
    });
  }

  test('a 200 of the wrong shape is not retried by default', async () => {
    const { client } = clientWith();
    server.reply({ body: 'oops' }, OK);
    assert.ok(
      (await failure(client.verify({ accessToken: TOKEN }))) instanceof LineInvalidResponseError,
    );
    assert.equal(server.requests.length, 1);
  });

  test('retry: false sends once', async () => {
    const client = new ChannelAccessTokenClient({ baseUrl: server.url, retry: false });
    server.reply(UNAVAILABLE, OK);
    await failure(client.verify({ accessToken: TOKEN }));
    assert.equal(server.requests.length, 1);
  });

  test("the caller's abort during a retry wait stops at once, with the caller's reason", async () => {
    // The real default delay (a timer), long enough that only the abort can end it.
    const client = new ChannelAccessTokenClient({
      baseUrl: server.url,
      retry: { backoffMs: 600_000, jitter: false },
    });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    server.reply(UNAVAILABLE, OK);
    const pending = client.verify({ accessToken: TOKEN }, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort(reason);
    assert.equal(await failure(pending), reason);
    assert.equal(server.requests.length, 1);
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

  test('timeouts: gives up as a LineTimeoutError caused by the last timeout', async () => {
    const { client } = clientWith({ limit: 1 }, { timeoutMs: 30 });
    server.reply({ hang: true }, { hang: true });
    const error = await failure(client.verifyV21({ accessToken: TOKEN }));
    assert.equal(server.requests.length, 2);
    assert.ok(error instanceof LineTimeoutError);
    assert.ok(error.cause instanceof LineTimeoutError);
  });

  test('network errors: gives up as a LineNetworkError caused by the last one', async () => {
    const port = await closedPort();
    const { client } = clientWith({ limit: 2 }, { baseUrl: `http://127.0.0.1:${port}` });
    const error = await failure(client.getValidKeyIds({ assertion: ASSERTION }));
    assert.ok(error instanceof LineNetworkError);
    assert.ok(error.cause instanceof LineNetworkError);
    assert.ok(error.cause.cause instanceof TypeError, 'the fetch failure is still at the bottom');
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

  test('requestSent is false for a refused connection and unknown for a timeout', async () => {
    const port = await closedPort();
    const seen: Array<boolean | undefined> = [];
    const hook = { shouldRetry: (c: RetryContext) => void seen.push(c.requestSent), limit: 1 };
    await failure(
      clientWith(hook, { baseUrl: `http://127.0.0.1:${port}` }).client.verify({
        accessToken: TOKEN,
      }),
    );
    server.reply({ hang: true }, { hang: true });
    await failure(clientWith(hook, { timeoutMs: 30 }).client.verify({ accessToken: TOKEN }));
    assert.deepEqual(seen, [false, undefined]);
  });
});

describe('the issue-operation policy', () => {
  const SAFE: OperationName[] = [
    'verify',
    'revoke',
    'verifyV21',
    'revokeV21',
    'getValidKeyIds',
    'issueStateless',
  ];
  for (const op of SAFE) {
    test(`${op} retries a 503 by default`, async () => {
      const { client } = clientWith();
      server.reply(UNAVAILABLE, OK);
      await call(client, op);
      assert.equal(server.requests.length, 2);
    });
  }

  for (const op of ['issueV21', 'issueShortLived'] as const) {
    test(`${op} does not retry a 503 by default: the first attempt may have issued a token`, async () => {
      const { client } = clientWith();
      server.reply(UNAVAILABLE, OK);
      const error = await failure(call(client, op));
      assert.ok(error instanceof LineApiError);
      assert.equal(server.requests.length, 1);
    });

    test(`${op} does not retry a timeout by default`, async () => {
      const { client } = clientWith({}, { timeoutMs: 30 });
      server.reply({ hang: true }, OK);
      assert.ok((await failure(call(client, op))) instanceof LineTimeoutError);
      assert.equal(server.requests.length, 1);
    });

    test(`${op} does not retry a connection dropped after sending`, async () => {
      const { client } = clientWith();
      server.reply({ destroy: true }, OK);
      assert.ok((await failure(call(client, op))) instanceof LineNetworkError);
      assert.equal(server.requests.length, 1);
    });

    test(`${op} retries a 429: LINE refused, nothing was issued`, async () => {
      const { client, delays } = clientWith();
      server.reply({ ...RATE_LIMITED, headers: { 'retry-after': '2' } }, OK);
      await call(client, op);
      assert.equal(server.requests.length, 2);
      assert.deepEqual(delays, [2000]);
    });

    test(`${op} retries a refused connection: the request never left`, async () => {
      const port = await closedPort();
      let attempts = 0;
      const { client } = clientWith(
        { limit: 2 },
        {
          baseUrl: `http://127.0.0.1:${port}`,
          fetch: (url, init) => {
            attempts++;
            return fetch(url, init);
          },
        },
      );
      assert.ok((await failure(call(client, op))) instanceof LineNetworkError);
      assert.equal(attempts, 3);
    });

    test(`${op} retries a 503 once opted in through retry.operations`, async () => {
      const { client } = clientWith({ operations: ALL_OPERATIONS });
      server.reply(UNAVAILABLE, OK);
      await call(client, op);
      assert.equal(server.requests.length, 2);
    });
  }
});
