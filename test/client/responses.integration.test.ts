// Answers that are not what the spec says: non-JSON error pages and 200s of the wrong
// shape, each a clear error rather than a parse crash or a half-made token.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { inspect } from 'node:util';

import {
  ChannelAccessTokenClient,
  LineApiError,
  LineInvalidResponseError,
  type OperationName,
} from '../../src/index.js';
import { assertNoSecrets, callOperation, failure } from './helpers.js';
import { RECORDED_REQUEST_ID, recorderForFile, type Reply } from './recorder.js';

const server = await recorderForFile();
let client: ChannelAccessTokenClient;

beforeEach(() => {
  client = new ChannelAccessTokenClient({ baseUrl: server.url, retry: false });
});

describe('answers that are not what the spec says', () => {
  const html =
    '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

  test("a proxy's HTML 502 page is a LineApiError with the status, not a parse crash", async () => {
    server.reply({ status: 502, headers: { 'content-type': 'text/html' }, body: html });
    const error = await failure(callOperation(client, 'verify'));
    assert.ok(error instanceof LineApiError);
    assert.equal(error.status, 502);
    assert.equal(error.error, undefined);
    assert.equal(error.lineMessage, undefined);
    assert.equal(error.message, 'LINE answered verify with HTTP 502');
  });

  test('an empty 503 is a LineApiError with the status', async () => {
    server.reply({ status: 503 });
    const error = await failure(callOperation(client, 'verify'));
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
      const error = await failure(callOperation(client, op));
      assert.ok(error instanceof LineInvalidResponseError, `got ${String(error)}`);
      assert.equal(error.code, 'ERR_LINE_INVALID_RESPONSE');
      assert.equal(error.operation, op);
      assert.equal(error.status, 200);
      assert.match(error.requestId ?? '', RECORDED_REQUEST_ID);
      assert.match(error.message, reason);
      assertNoSecrets(error);
    });
  }

  test('the body of an invalid answer never reaches the error, even when it holds a token', async () => {
    server.reply({ status: 200, body: { access_token: 'leaky-token-value', expires_in: 'soon' } });
    const error = await failure(callOperation(client, 'issueStateless'));
    assert.ok(error instanceof LineInvalidResponseError);
    assert.equal(inspect(error).includes('leaky-token-value'), false);
    assert.equal(JSON.stringify(error).includes('leaky-token-value'), false);
  });
});
