// Every error shape of ../shared/EMULATOR.md, malformed answers, timeouts, aborts and
// network failures, each mapped to the right error class and fields — and no secret in
// any of them.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { inspect } from 'node:util';

import {
  ChannelAccessTokenClient,
  LineApiError,
  LineInvalidResponseError,
  LineNetworkError,
  LineTimeoutError,
  type OperationName,
} from '../../src/index.js';
import { closedPort, startRecorder, type Recorder, type Reply } from './recorder.js';

const SECRET = 'channel-secret-0123456789abcdef';
const TOKEN = 'access-token-ZYXWVUTSRQ+/=';
const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxIn0.signature-part';

let server: Recorder;
let client: ChannelAccessTokenClient;

before(async () => {
  server = await startRecorder();
});
after(() => server.close());
beforeEach(() => {
  server.reset();
  client = new ChannelAccessTokenClient({ baseUrl: server.url, retry: false });
});

/** Calls one operation with valid, secret-bearing arguments. */
function call(
  c: ChannelAccessTokenClient,
  op: OperationName,
  signal?: AbortSignal,
): Promise<unknown> {
  const options = signal ? { signal } : undefined;
  switch (op) {
    case 'issueShortLived':
      return c.issueShortLived({ channelId: '1234567890', channelSecret: SECRET }, options);
    case 'verify':
      return c.verify({ accessToken: TOKEN }, options);
    case 'revoke':
      return c.revoke({ accessToken: TOKEN }, options);
    case 'issueV21':
      return c.issueV21({ assertion: ASSERTION }, options);
    case 'verifyV21':
      return c.verifyV21({ accessToken: TOKEN }, options);
    case 'revokeV21':
      return c.revokeV21(
        { channelId: '1234567890', channelSecret: SECRET, accessToken: TOKEN },
        options,
      );
    case 'getValidKeyIds':
      return c.getValidKeyIds({ assertion: ASSERTION }, options);
    case 'issueStateless':
      return c.issueStateless({ channelId: '1234567890', channelSecret: SECRET }, options);
  }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

/** No secret in the message, the JSON view or util.inspect, at any depth of the cause chain. */
function assertNoSecrets(error: unknown): void {
  const views = [
    error instanceof Error ? error.message : String(error),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
  ];
  for (const view of views) {
    for (const secret of [SECRET, TOKEN, ASSERTION, encodeURIComponent(TOKEN)]) {
      assert.equal(view.includes(secret), false, `a secret leaked into: ${view}`);
    }
  }
}

// [operation, status, body] as ../shared/EMULATOR.md gives them, with the fields expected.
const lineErrors: Array<{
  name: string;
  op: OperationName;
  status: number;
  body: Record<string, string>;
}> = [
  {
    name: 'short-lived: unknown channel',
    op: 'issueShortLived',
    status: 400,
    body: { error: 'invalid_client', error_description: 'invalid client_id' },
  },
  {
    name: 'short-lived: wrong secret',
    op: 'issueShortLived',
    status: 400,
    body: { error: 'invalid_client', error_description: 'invalid client_secret' },
  },
  {
    name: 'short-lived: bad parameters',
    op: 'issueShortLived',
    status: 400,
    body: { error: 'invalid_request', error_description: 'some parameters missed or invalid' },
  },
  {
    name: 'v2 verify: unknown token',
    op: 'verify',
    status: 400,
    body: { error: 'invalid_request', error_description: 'access_token invalid' },
  },
  {
    name: 'v2 verify: malformed token',
    op: 'verify',
    status: 400,
    body: { error: 'invalid_request', error_description: 'access_token in invalid format' },
  },
  {
    name: 'v2 revoke: missing token',
    op: 'revoke',
    status: 400,
    body: { error: 'invalid_request' },
  },
  {
    name: 'v2.1 issue: 31st token',
    op: 'issueV21',
    status: 400,
    body: { message: 'The maximum number of access tokens has already been issued' },
  },
  {
    name: 'v2.1 issue: token_exp out of range',
    op: 'issueV21',
    status: 400,
    body: { error: 'invalid_request' },
  },
  {
    name: 'v2.1 issue: unknown kid',
    op: 'issueV21',
    status: 404,
    body: { message: 'Cannot find channel key that satisfies the conditions' },
  },
  {
    name: 'v2.1 issue: bad signature',
    op: 'issueV21',
    status: 400,
    body: { error: 'invalid_client' },
  },
  {
    name: 'v2.1 issue: iss mismatch',
    op: 'issueV21',
    status: 400,
    body: { error: 'invalid_client', error_description: 'iss and clientId of key do not match' },
  },
  {
    name: 'v2.1 issue: bad exp',
    op: 'issueV21',
    status: 400,
    body: { error: 'invalid_client', error_description: 'Invalid exp' },
  },
  {
    name: 'v2.1 verify: not a JWS',
    op: 'verifyV21',
    status: 400,
    body: { error: 'invalid_request', error_description: 'The access token not JWS' },
  },
  {
    name: 'v2.1 verify: expired',
    op: 'verifyV21',
    status: 400,
    body: { error: 'invalid_request', error_description: 'The access token expired' },
  },
  {
    name: 'v2.1 verify: revoked',
    op: 'verifyV21',
    status: 400,
    body: { error: 'invalid_request', error_description: 'The access token revoked' },
  },
  {
    name: 'v2.1 verify: unknown',
    op: 'verifyV21',
    status: 400,
    body: { error: 'invalid_request' },
  },
  {
    name: 'v2.1 revoke: not a JWS',
    op: 'revokeV21',
    status: 400,
    body: { error: 'invalid_request', error_description: 'The access token not JWS' },
  },
  {
    name: 'v2.1 revoke: malformed',
    op: 'revokeV21',
    status: 400,
    body: { error: 'invalid_request', error_description: 'The access token malformed' },
  },
  {
    name: 'v2.1 revoke: wrong credentials',
    op: 'revokeV21',
    status: 400,
    body: { error: 'invalid_client' },
  },
  {
    name: 'key ids: unknown kid',
    op: 'getValidKeyIds',
    status: 404,
    body: { message: 'Cannot find channel key that satisfies the conditions' },
  },
  {
    name: 'key ids: not a JWS',
    op: 'getValidKeyIds',
    status: 400,
    body: { error: 'invalid_client' },
  },
  {
    name: 'stateless: wrong credentials',
    op: 'issueStateless',
    status: 400,
    body: { error: 'invalid_request', error_description: "Invalid 'client_credentials'." },
  },
  {
    name: 'rate limited',
    op: 'issueShortLived',
    status: 429,
    body: { message: 'The API rate limit has been exceeded. Try again later.' },
  },
  {
    name: 'platform 401',
    op: 'verify',
    status: 401,
    body: {
      message:
        'Authentication failed due to the following reason: invalid token. Confirm that the access token in the authorization header is valid.',
    },
  },
];

describe("LINE's error shapes", () => {
  for (const { name, op, status, body } of lineErrors) {
    test(`${name}: ${status} ${JSON.stringify(body)}`, async () => {
      server.reply({ status, body });
      const error = await failure(call(client, op));
      assert.ok(error instanceof LineApiError, `got ${String(error)}`);
      assert.equal(error.code, 'ERR_LINE_API');
      assert.equal(error.operation, op);
      assert.equal(error.status, status);
      assert.equal(error.error, body['error']);
      assert.equal(error.errorDescription, body['error_description']);
      assert.equal(error.lineMessage, body['message']);
      assert.match(error.requestId ?? '', /^req-\d+$/);
      const detail =
        body['message'] ?? [body['error'], body['error_description']].filter(Boolean).join(': ');
      assert.equal(error.message, `LINE answered ${op} with HTTP ${status}: ${detail}`);
      assert.equal(server.requests.length, 1, 'a 4xx is never retried');
      assertNoSecrets(error);
    });
  }

  test('Retry-After on an error answer becomes retryAfterSec', async () => {
    server.reply({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { message: 'The API rate limit has been exceeded. Try again later.' },
    });
    const error = await failure(call(client, 'verify'));
    assert.ok(error instanceof LineApiError);
    assert.equal(error.retryAfterSec, 7);
  });

  test('an error body that echoes a secret has it redacted', async () => {
    server.reply({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: `bad token ${TOKEN}`,
        message: `echo ${SECRET}`,
      },
    });
    const error = await failure(call(client, 'revokeV21'));
    assert.ok(error instanceof LineApiError);
    assert.equal(error.errorDescription, 'bad token [REDACTED]');
    assert.equal(error.lineMessage, 'echo [REDACTED]');
    assertNoSecrets(error);
  });
});

describe('answers that are not what the spec says', () => {
  const html =
    '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

  test("a proxy's HTML 502 page is a LineApiError with the status, not a parse crash", async () => {
    server.reply({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    const error = await failure(call(client, 'verify'));
    assert.ok(error instanceof LineApiError);
    assert.equal(error.status, 502);
    assert.equal(error.error, undefined);
    assert.equal(error.lineMessage, undefined);
    assert.equal(error.message, 'LINE answered verify with HTTP 502');
  });

  test('an empty 503 is a LineApiError with the status', async () => {
    server.reply({ status: 503 });
    const error = await failure(call(client, 'verify'));
    assert.ok(error instanceof LineApiError);
    assert.equal(error.status, 503);
  });

  const malformed: Array<{ name: string; op: OperationName; reply: Reply; reason: RegExp }> = [
    {
      name: '200 with an HTML body',
      op: 'issueStateless',
      reply: { headers: { 'content-type': 'text/html; charset=utf-8' }, body: html },
      reason: /the body is not JSON \(text\/html\)/,
    },
    {
      name: '200 with an empty body',
      op: 'issueShortLived',
      reply: { body: '' },
      reason: /not JSON/,
    },
    {
      name: '200 with a JSON array',
      op: 'issueStateless',
      reply: { body: [1, 2] },
      reason: /not a JSON object/,
    },
    {
      name: '200 without access_token',
      op: 'issueShortLived',
      reply: { body: { expires_in: 2592000, token_type: 'Bearer' } },
      reason: /"access_token" is missing/,
    },
    {
      name: '200 with an empty access_token',
      op: 'issueStateless',
      reply: { body: { access_token: '', expires_in: 900, token_type: 'Bearer' } },
      reason: /"access_token" is missing/,
    },
    {
      name: 'expires_in as a string',
      op: 'issueStateless',
      reply: { body: { access_token: 'x', expires_in: '900', token_type: 'Bearer' } },
      reason: /"expires_in" is missing or not a non-negative integer/,
    },
    {
      name: 'expires_in not an integer',
      op: 'issueShortLived',
      reply: { body: { access_token: 'x', expires_in: 899.5, token_type: 'Bearer' } },
      reason: /"expires_in"/,
    },
    {
      name: 'expires_in negative',
      op: 'issueShortLived',
      reply: { body: { access_token: 'x', expires_in: -1, token_type: 'Bearer' } },
      reason: /"expires_in"/,
    },
    {
      name: 'expires_in missing',
      op: 'issueStateless',
      reply: { body: { access_token: 'x', token_type: 'Bearer' } },
      reason: /"expires_in"/,
    },
    {
      name: 'token_type not a string',
      op: 'issueStateless',
      reply: { body: { access_token: 'x', expires_in: 900, token_type: 1 } },
      reason: /"token_type"/,
    },
    {
      name: 'v2.1 issue without key_id',
      op: 'issueV21',
      reply: { body: { access_token: 'x', expires_in: 900, token_type: 'Bearer' } },
      reason: /"key_id" is missing/,
    },
    {
      name: 'verify without client_id',
      op: 'verify',
      reply: { body: { expires_in: 10, scope: 'P' } },
      reason: /"client_id"/,
    },
    {
      name: 'verify with a numeric client_id',
      op: 'verifyV21',
      reply: { body: { client_id: 1573163733, expires_in: 10 } },
      reason: /"client_id"/,
    },
    {
      name: 'verify with a string expires_in',
      op: 'verifyV21',
      reply: { body: { client_id: '1', expires_in: '10' } },
      reason: /"expires_in"/,
    },
    {
      name: 'verify with a non-string scope',
      op: 'verify',
      reply: { body: { client_id: '1', expires_in: 10, scope: ['P'] } },
      reason: /"scope"/,
    },
    {
      name: 'kids not an array',
      op: 'getValidKeyIds',
      reply: { body: { kids: 'abc' } },
      reason: /"kids" is missing or not an array of strings/,
    },
    {
      name: 'kids holding a number',
      op: 'getValidKeyIds',
      reply: { body: { kids: ['a', 2] } },
      reason: /"kids"/,
    },
    { name: 'kids missing', op: 'getValidKeyIds', reply: { body: {} }, reason: /"kids"/ },
  ];
  for (const { name, op, reply, reason } of malformed) {
    test(`${name}: LineInvalidResponseError`, async () => {
      server.reply({ status: 200, ...reply });
      const error = await failure(call(client, op));
      assert.ok(error instanceof LineInvalidResponseError, `got ${String(error)}`);
      assert.equal(error.code, 'ERR_LINE_INVALID_RESPONSE');
      assert.equal(error.operation, op);
      assert.equal(error.status, 200);
      assert.match(error.requestId ?? '', /^req-\d+$/);
      assert.match(error.message, reason);
      assertNoSecrets(error);
    });
  }

  test('the body of an invalid answer never reaches the error, even when it holds a token', async () => {
    server.reply({ status: 200, body: { access_token: 'leaky-token-value', expires_in: 'soon' } });
    const error = await failure(call(client, 'issueStateless'));
    assert.ok(error instanceof LineInvalidResponseError);
    assert.equal(inspect(error).includes('leaky-token-value'), false);
    assert.equal(JSON.stringify(error).includes('leaky-token-value'), false);
  });
});

describe('transport failures', () => {
  test('a server that never answers: LineTimeoutError after timeoutMs', async () => {
    server.reply({ hang: true });
    const quick = new ChannelAccessTokenClient({
      baseUrl: server.url,
      timeoutMs: 50,
      retry: false,
    });
    const error = await failure(call(quick, 'verifyV21'));
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
    const error = await failure(call(deaf, 'verify'));
    assert.ok(error instanceof LineTimeoutError);
  });

  test("the caller's abort rejects with the caller's own reason", async () => {
    server.reply({ hang: true });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const pending = call(
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
    const error = await failure(call(client, 'issueV21', AbortSignal.abort(reason)));
    assert.equal(error, reason);
    assert.equal(server.requests.length, 0);
  });

  test('connection refused: LineNetworkError keeping the cause', async () => {
    const port = await closedPort();
    const refused = new ChannelAccessTokenClient({
      baseUrl: `http://127.0.0.1:${port}`,
      retry: false,
    });
    const error = await failure(call(refused, 'getValidKeyIds'));
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
    const error = await failure(call(client, 'revoke'));
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
      const error = await failure(call(leaky, op));
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
    assert.equal(await failure(call(buggy, 'verify')), bug);
    assert.equal(calls, 1);
  });
});
