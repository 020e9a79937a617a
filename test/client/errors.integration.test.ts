// Every error shape of docs/line-rules.md (exact statuses and bodies) mapped to a
// LineApiError with the right fields — and no secret in any of them.
import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';

import { ChannelAccessTokenClient, LineApiError, type OperationName } from '../../src/index.js';
import { assertNoSecrets, callOperation, failure, SECRET, TOKEN } from './helpers.js';
import { RECORDED_REQUEST_ID, recorderForFile } from './recorder.js';

const server = await recorderForFile();
let client: ChannelAccessTokenClient;

beforeEach(() => {
  client = new ChannelAccessTokenClient({ baseUrl: server.url, retry: false });
});

// [operation, status, body] as docs/line-rules.md gives them, with the fields expected.
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
      const error = await failure(callOperation(client, op));
      assert.ok(error instanceof LineApiError, `got ${String(error)}`);
      assert.equal(error.code, 'ERR_LINE_API');
      assert.equal(error.operation, op);
      assert.equal(error.status, status);
      assert.equal(error.error, body['error']);
      assert.equal(error.errorDescription, body['error_description']);
      assert.equal(error.lineMessage, body['message']);
      assert.match(error.requestId ?? '', RECORDED_REQUEST_ID);
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
    const error = await failure(callOperation(client, 'verify'));
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
    const error = await failure(callOperation(client, 'revokeV21'));
    assert.ok(error instanceof LineApiError);
    assert.equal(error.errorDescription, 'bad token [REDACTED]');
    assert.equal(error.lineMessage, 'echo [REDACTED]');
    assertNoSecrets(error);
  });
});
