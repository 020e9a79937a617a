// Transport failures: a server that never answers, the caller's abort, refused and
// dropped connections, and fetch errors that would leak the URL (and its token).
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { ChannelAccessTokenClient, LineNetworkError, LineTimeoutError } from '../../src/index.js';
import { assertNoSecrets, callOperation, failure } from './helpers.js';
import { closedPort, recorderForFile } from './recorder.js';

const server = await recorderForFile();
let client: ChannelAccessTokenClient;

beforeEach(() => {
  client = new ChannelAccessTokenClient({ baseUrl: server.url, retry: false });
});

describe('transport failures', () => {
  test('a server that never answers: LineTimeoutError after timeoutMs', async (t) => {
    server.reply({ hang: true });
    // The timer fires once the server holds the request (see recorder.received).
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const quick = new ChannelAccessTokenClient({
      baseUrl: server.url,
      timeoutMs: 50,
      retry: false,
    });
    const outcome = failure(callOperation(quick, 'verifyV21'));
    await server.received(1);
    t.mock.timers.tick(50);
    const error = await outcome;
    assert.ok(error instanceof LineTimeoutError, `got ${String(error)}`);
    assert.equal(error.code, 'ERR_LINE_TIMEOUT');
    assert.equal(error.timeoutMs, 50);
    assert.equal(error.operation, 'verifyV21');
    assert.equal(error.message, 'verifyV21 timed out after 50 ms');
    assertNoSecrets(error);
  });

  test('a fetch that ignores its signal still times out', async () => {
    const deaf = new ChannelAccessTokenClient({
      timeoutMs: 20,
      retry: false,
      fetch: () => new Promise<Response>(() => {}),
    });
    const error = await failure(callOperation(deaf, 'verify'));
    assert.ok(error instanceof LineTimeoutError);
  });

  test("the caller's abort rejects with the caller's own reason", async () => {
    server.reply({ hang: true });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const pending = callOperation(
      new ChannelAccessTokenClient({ baseUrl: server.url }),
      'verify',
      controller.signal,
    );
    while (server.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(reason);
    assert.equal(await failure(pending), reason);
    assert.equal(server.requests.length, 1, 'an abort is not retried');
  });

  test('an already aborted signal sends nothing', async () => {
    const reason = new Error('too late');
    const error = await failure(callOperation(client, 'issueV21', AbortSignal.abort(reason)));
    assert.equal(error, reason);
    assert.equal(server.requests.length, 0);
  });

  test('connection refused: LineNetworkError keeping the cause', async () => {
    const port = await closedPort();
    const refused = new ChannelAccessTokenClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: false,
    });
    const error = await failure(callOperation(refused, 'getValidKeyIds'));
    assert.ok(error instanceof LineNetworkError, `got ${String(error)}`);
    assert.equal(error.code, 'ERR_LINE_NETWORK');
    assert.equal(error.operation, 'getValidKeyIds');
    assert.ok(error.cause instanceof Error);
    const codes: unknown[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause)
      codes.push((e as { code?: unknown }).code);
    assert.ok(codes.includes('ECONNREFUSED'), `codes in the chain: ${codes.join(', ')}`);
    assertNoSecrets(error);
  });

  test('a dropped connection: LineNetworkError', async () => {
    server.reply({ destroy: true });
    const error = await failure(callOperation(client, 'revoke'));
    assert.ok(error instanceof LineNetworkError, `got ${String(error)}`);
  });

  test('a fetch error that quotes the URL (and so the token) has the token redacted', async () => {
    const leaky = new ChannelAccessTokenClient({
      retry: false,
      fetch: async (url) => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error(`request to ${url} failed`), { code: 'ECONNRESET' }),
        });
      },
    });
    for (const op of ['verifyV21', 'getValidKeyIds'] as const) {
      const error = await failure(callOperation(leaky, op));
      assert.ok(error instanceof LineNetworkError);
      const inner = (error.cause as Error).cause as Error & { code?: string };
      assert.match(inner.message, /\[REDACTED\]/);
      assert.equal(inner.code, 'ECONNRESET');
      assertNoSecrets(error);
    }
  });

  test('an unknown error from fetch (a bug) is rethrown as is, not wrapped or retried', async () => {
    let calls = 0;
    const bug = new RangeError('bug in a custom fetch');
    const buggy = new ChannelAccessTokenClient({
      fetch: async () => {
        calls++;
        throw bug;
      },
    });
    assert.equal(await failure(callOperation(buggy, 'verify')), bug);
    assert.equal(calls, 1);
  });
});
