// A table of bad inputs — client options, operation arguments, server answers — each
// producing its documented error class and message, and never a secret in the message,
// JSON.stringify(err) or util.inspect(err).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';

import {
  ChannelAccessTokenClient,
  InvalidArgumentError,
  LineApiError,
  LineInvalidResponseError,
  type ClientOptions,
} from '../../src/index.js';
import { recorderForFile, type Reply } from './recorder.js';

const SECRET = 'bad-inputs-secret-9f8e7d6c';
const TOKEN = 'bad-inputs-token-QWERTY';
const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig-bad-inputs';

const server = await recorderForFile();

type Run = (client: () => ChannelAccessTokenClient) => unknown;

interface Row {
  name: string;
  run: Run;
  class: new (...args: never[]) => Error;
  message: string;
  argument?: string;
  /** A server answer to script; without one, no request may be sent at all. */
  reply?: Reply;
}

const make = (options: unknown) => () => new ChannelAccessTokenClient(options as ClientOptions);

const rows: Row[] = [
  // Client options
  {
    name: 'timeoutMs of 0',
    run: make({ timeoutMs: 0 }),
    class: InvalidArgumentError,
    argument: 'timeoutMs',
    message:
      '"timeoutMs" option must be a whole number of milliseconds from 1 to 2147483647 (got 0)',
  },
  {
    name: 'timeoutMs as a string',
    run: make({ timeoutMs: '5000' }),
    class: InvalidArgumentError,
    argument: 'timeoutMs',
    message:
      '"timeoutMs" option must be a whole number of milliseconds from 1 to 2147483647 (got the string "5000")',
  },
  {
    name: 'timeoutMs as a fraction',
    run: make({ timeoutMs: 1.5 }),
    class: InvalidArgumentError,
    argument: 'timeoutMs',
    message:
      '"timeoutMs" option must be a whole number of milliseconds from 1 to 2147483647 (got 1.5)',
  },
  {
    name: 'baseUrl without a scheme',
    run: make({ baseUrl: 'api.line.me' }),
    class: InvalidArgumentError,
    argument: 'baseUrl',
    message: '"baseUrl" option must be an absolute http:// or https:// URL (got a string)',
  },
  {
    name: 'baseUrl with another scheme',
    run: make({ baseUrl: 'ftp://api.line.me' }),
    class: InvalidArgumentError,
    argument: 'baseUrl',
    message: '"baseUrl" option must be an absolute http:// or https:// URL (got a string)',
  },
  {
    name: 'baseUrl with credentials',
    run: make({ baseUrl: `https://user:${SECRET}@api.line.me` }),
    class: InvalidArgumentError,
    argument: 'baseUrl',
    message: '"baseUrl" option must not hold a query, a fragment or credentials',
  },
  {
    name: 'baseUrl with a query',
    run: make({ baseUrl: `https://api.line.me/?token=${TOKEN}` }),
    class: InvalidArgumentError,
    argument: 'baseUrl',
    message: '"baseUrl" option must not hold a query, a fragment or credentials',
  },
  {
    name: 'baseUrl not a string',
    run: make({ baseUrl: new URL('https://api.line.me') }),
    class: InvalidArgumentError,
    argument: 'baseUrl',
    message: '"baseUrl" option must be a string URL (got an object)',
  },
  {
    name: 'a misspelt option',
    run: make({ timeout: 5000 }),
    class: InvalidArgumentError,
    argument: 'timeout',
    message: '"timeout" is not a ChannelAccessTokenClient option; did you mean "timeoutMs"?',
  },
  {
    name: 'options not an object',
    run: make('https://api.line.me'),
    class: InvalidArgumentError,
    argument: 'options',
    message: 'ChannelAccessTokenClient options must be an object (got a string)',
  },
  {
    name: 'fetch not a function',
    run: make({ fetch: 'fetch' }),
    class: InvalidArgumentError,
    argument: 'fetch',
    message: '"fetch" option must be a function (got a string)',
  },
  {
    name: 'now not a function',
    run: make({ now: 1_700_000_000_000 }),
    class: InvalidArgumentError,
    argument: 'now',
    message: '"now" option must be a function (got 1700000000000)',
  },
  {
    name: 'userAgent with a newline',
    run: make({ userAgent: 'bot/1\r\nX-Evil: 1' }),
    class: InvalidArgumentError,
    argument: 'userAgent',
    message:
      '"userAgent" option must be a non-empty string without control characters (got a string)',
  },
  {
    name: 'retry.limit negative',
    run: make({ retry: { limit: -1 } }),
    class: InvalidArgumentError,
    argument: 'retry.limit',
    message: '"retry.limit" option must be an integer from 0 to 100 (got -1)',
  },
  {
    name: 'retry.limit a fraction',
    run: make({ retry: { limit: 2.5 } }),
    class: InvalidArgumentError,
    argument: 'retry.limit',
    message: '"retry.limit" option must be an integer from 0 to 100 (got 2.5)',
  },
  {
    name: 'a misspelt retry option',
    run: make({ retry: { limt: 3 } }),
    class: InvalidArgumentError,
    argument: 'retry.limt',
    message: '"retry.limt" is not a retry option; did you mean "retry.limit"?',
  },
  {
    name: 'retry as true',
    run: make({ retry: true }),
    class: InvalidArgumentError,
    argument: 'retry',
    message: '"retry" option must be an object or false (got true)',
  },
  {
    name: 'retry.statusCodes with a 200',
    run: make({ retry: { statusCodes: [200, 503] } }),
    class: InvalidArgumentError,
    argument: 'retry.statusCodes',
    message:
      '"retry.statusCodes" option must be an array of HTTP error statuses (400-599) (got an array)',
  },
  {
    name: 'retry.operations with an unknown name',
    run: make({ retry: { operations: ['issue'] } }),
    class: InvalidArgumentError,
    argument: 'retry.operations',
    message:
      '"retry.operations" option must be an array of operation names (issueShortLived, verify, revoke, issueV21, verifyV21, revokeV21, getValidKeyIds, issueStateless) (got an array)',
  },
  {
    name: 'retry.maxRetryAfterMs NaN',
    run: make({ retry: { maxRetryAfterMs: NaN } }),
    class: InvalidArgumentError,
    argument: 'retry.maxRetryAfterMs',
    message:
      '"retry.maxRetryAfterMs" option must be a non-negative number of milliseconds (or Infinity) (got NaN)',
  },
  {
    name: 'retry.backoffMs Infinity',
    run: make({ retry: { backoffMs: Infinity } }),
    class: InvalidArgumentError,
    argument: 'retry.backoffMs',
    message:
      '"retry.backoffMs" option must be a non-negative number of milliseconds (got Infinity)',
  },
  {
    name: 'retry.jitter a string',
    run: make({ retry: { jitter: 'full' } }),
    class: InvalidArgumentError,
    argument: 'retry.jitter',
    message: '"retry.jitter" option must be a boolean or a function (got a string)',
  },
  {
    name: 'retry.delay not a function',
    run: make({ retry: { delay: 100 } }),
    class: InvalidArgumentError,
    argument: 'retry.delay',
    message: '"retry.delay" option must be a function (got 100)',
  },

  // Operation arguments: refused before any request is sent
  {
    name: 'channelId as a number',
    run: (c) =>
      c().issueShortLived({ channelId: 1573163733 as unknown as string, channelSecret: SECRET }),
    class: InvalidArgumentError,
    argument: 'channelId',
    message: 'issueShortLived: "channelId" must be a string (got 1573163733)',
  },
  {
    name: 'empty channelId',
    run: (c) => c().revokeV21({ channelId: '', channelSecret: SECRET, accessToken: TOKEN }),
    class: InvalidArgumentError,
    argument: 'channelId',
    message: 'revokeV21: "channelId" must not be empty',
  },
  {
    name: 'channelSecret with a trailing newline',
    run: (c) => c().issueShortLived({ channelId: '1', channelSecret: `${SECRET}\n` }),
    class: InvalidArgumentError,
    argument: 'channelSecret',
    message:
      'issueShortLived: "channelSecret" must not contain whitespace or control characters (a copied trailing newline?)',
  },
  {
    name: 'missing channelSecret',
    run: (c) => c().revokeV21({ channelId: '1', accessToken: TOKEN } as never),
    class: InvalidArgumentError,
    argument: 'channelSecret',
    message: 'revokeV21: "channelSecret" must be a string (got undefined)',
  },
  {
    name: 'empty accessToken',
    run: (c) => c().verify({ accessToken: '' }),
    class: InvalidArgumentError,
    argument: 'accessToken',
    message: 'verify: "accessToken" must not be empty',
  },
  {
    name: 'accessToken null',
    run: (c) => c().verifyV21({ accessToken: null as unknown as string }),
    class: InvalidArgumentError,
    argument: 'accessToken',
    message: 'verifyV21: "accessToken" must be a string (got null)',
  },
  {
    name: 'the token passed bare instead of in params',
    run: (c) => c().revoke(TOKEN as never),
    class: InvalidArgumentError,
    argument: 'params',
    message: 'revoke: expected a params object as the first argument (got a string)',
  },
  {
    name: 'no params at all',
    run: (c) => c().verify(undefined as never),
    class: InvalidArgumentError,
    argument: 'params',
    message: 'verify: expected a params object as the first argument (got undefined)',
  },
  {
    name: 'assertion as a number',
    run: (c) => c().issueV21({ assertion: 42 as unknown as string }),
    class: InvalidArgumentError,
    argument: 'assertion',
    message: 'issueV21: "assertion" must be a string (got 42)',
  },
  {
    name: 'assertion with a leading space',
    run: (c) => c().getValidKeyIds({ assertion: ` ${ASSERTION}` }),
    class: InvalidArgumentError,
    argument: 'assertion',
    message:
      'getValidKeyIds: "assertion" must not contain whitespace or control characters (a copied trailing newline?)',
  },
  {
    name: 'stateless with both forms',
    run: (c) =>
      c().issueStateless({ channelId: '1', channelSecret: SECRET, assertion: ASSERTION } as never),
    class: InvalidArgumentError,
    argument: 'params',
    message: 'issueStateless: pass either { channelId, channelSecret } or { assertion }, not both',
  },
  {
    name: 'stateless with neither form',
    run: (c) => c().issueStateless({} as never),
    class: InvalidArgumentError,
    argument: 'params',
    message:
      'issueStateless: pass either { channelId, channelSecret } or { assertion }, got neither',
  },
  {
    name: 'signal not an AbortSignal',
    run: (c) => c().verify({ accessToken: TOKEN }, { signal: 'abort' as never }),
    class: InvalidArgumentError,
    argument: 'signal',
    message: 'verify: "signal" must be an AbortSignal (got a string)',
  },
  {
    name: 'a misspelt request option',
    run: (c) => c().verify({ accessToken: TOKEN }, { sginal: undefined, timeout: 5 } as never),
    class: InvalidArgumentError,
    argument: 'timeout',
    message: '"timeout" is not a verify request option; known: signal',
  },
  {
    name: 'request options not an object',
    run: (c) => c().verify({ accessToken: TOKEN }, 5000 as never),
    class: InvalidArgumentError,
    argument: 'options',
    message: 'verify: request options must be an object (got 5000)',
  },

  // Server answers
  {
    name: '200 without access_token',
    run: (c) => c().issueShortLived({ channelId: '1', channelSecret: SECRET }),
    reply: { body: { expires_in: 2592000, token_type: 'Bearer' } },
    class: LineInvalidResponseError,
    message:
      'unexpected response to issueShortLived (HTTP 200): "access_token" is missing or not a non-empty string',
  },
  {
    name: '200 with expires_in as a string',
    run: (c) => c().issueStateless({ assertion: ASSERTION }),
    reply: { body: { access_token: TOKEN, expires_in: '900', token_type: 'Bearer' } },
    class: LineInvalidResponseError,
    message:
      'unexpected response to issueStateless (HTTP 200): "expires_in" is missing or not a non-negative integer',
  },
  {
    name: '200 v2.1 without key_id',
    run: (c) => c().issueV21({ assertion: ASSERTION }),
    reply: { body: { access_token: TOKEN, expires_in: 60, token_type: 'Bearer' } },
    class: LineInvalidResponseError,
    message:
      'unexpected response to issueV21 (HTTP 200): "key_id" is missing or not a non-empty string',
  },
  {
    name: '200 that is not JSON',
    run: (c) => c().verify({ accessToken: TOKEN }),
    reply: { headers: { 'content-type': 'text/plain' }, body: 'OK' },
    class: LineInvalidResponseError,
    message: 'unexpected response to verify (HTTP 200): the body is not JSON (text/plain)',
  },
  {
    name: 'kids not an array',
    run: (c) => c().getValidKeyIds({ assertion: ASSERTION }),
    reply: { body: { kids: { 0: 'a' } } },
    class: LineInvalidResponseError,
    message:
      'unexpected response to getValidKeyIds (HTTP 200): "kids" is missing or not an array of strings',
  },
  {
    name: "a proxy's HTML 502",
    run: (c) => c().verifyV21({ accessToken: TOKEN }),
    reply: {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Bad Gateway</body></html>',
    },
    class: LineApiError,
    message: 'LINE answered verifyV21 with HTTP 502',
  },
  {
    name: 'wrong channel secret',
    run: (c) => c().issueShortLived({ channelId: '1', channelSecret: SECRET }),
    reply: {
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client_secret' },
    },
    class: LineApiError,
    message: 'LINE answered issueShortLived with HTTP 400: invalid_client: invalid client_secret',
  },
];

test('the table has at least 15 rows', () => {
  assert.ok(rows.length >= 15);
});

for (const row of rows) {
  test(`${row.name}: ${row.class.name}`, async () => {
    if (row.reply) server.reply(row.reply);
    const client = () => new ChannelAccessTokenClient({ baseUrl: server.url, retry: false });
    let error: unknown;
    try {
      await row.run(client);
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof row.class, `expected ${row.class.name}, got ${String(error)}`);
    assert.equal(error.message, row.message);
    if (row.argument !== undefined)
      assert.equal((error as InvalidArgumentError).argument, row.argument);
    assert.equal(server.requests.length, row.reply ? 1 : 0, 'bad arguments send nothing');
    for (const view of [error.message, JSON.stringify(error), inspect(error, { depth: 10 })]) {
      for (const secret of [SECRET, TOKEN, ASSERTION]) {
        assert.equal(view.includes(secret), false, `a secret leaked into: ${view}`);
      }
    }
  });
}
