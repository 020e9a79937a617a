// Which failures are retried: never 4xx other than 429, never a malformed 200 or the
// caller's abort, and for the two issue operations — whose repeat can cost a token — only
// what provably issued nothing, unless the user opts in.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  ALL_OPERATIONS,
  ChannelAccessTokenClient,
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
  type ClientOptions,
  type OperationName,
  type RetryOptions,
} from '../../src/index.js';
import {
  callOperation,
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
      await callOperation(client, op);
      assert.equal(server.requests.length, 2);
    });
  }

  for (const op of ['issueV21', 'issueShortLived'] as const) {
    test(`${op} does not retry a 503 by default: the first attempt may have issued a token`, async () => {
      const { client } = clientWith();
      server.reply(UNAVAILABLE, OK);
      const error = await failure(callOperation(client, op));
      assert.ok(error instanceof LineApiError);
      assert.equal(server.requests.length, 1);
    });

    test(`${op} does not retry a timeout by default`, async (t) => {
      // The client's timer fires once the server holds the request: a request that timed
      // out before it arrived would reach the server during the next test and take the
      // answer meant for that one.
      t.mock.timers.enable({ apis: ['setTimeout'] });
      const counted = countedFetch();
      const { client } = clientWith({}, { timeoutMs: 30, fetch: counted.fetch });
      server.reply({ hang: true }, OK);
      const outcome = failure(callOperation(client, op));
      await server.received(1);
      t.mock.timers.tick(30);
      assert.ok((await outcome) instanceof LineTimeoutError);
      assert.equal(counted.calls(), 1, 'one attempt, no retry');
    });

    test(`${op} does not retry a connection dropped after sending`, async () => {
      const { client } = clientWith();
      server.reply({ destroy: true }, OK);
      assert.ok((await failure(callOperation(client, op))) instanceof LineNetworkError);
      assert.equal(server.requests.length, 1);
    });

    test(`${op} retries a 429: LINE refused, nothing was issued`, async () => {
      const { client, delays } = clientWith();
      server.reply({ ...RATE_LIMITED, headers: { 'retry-after': '2' } }, OK);
      await callOperation(client, op);
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
      assert.ok((await failure(callOperation(client, op))) instanceof LineNetworkError);
      assert.equal(attempts, 3);
    });

    test(`${op} retries a 503 once opted in through retry.operations`, async () => {
      const { client } = clientWith({ operations: ALL_OPERATIONS });
      server.reply(UNAVAILABLE, OK);
      await callOperation(client, op);
      assert.equal(server.requests.length, 2);
    });
  }
});
