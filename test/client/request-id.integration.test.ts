// A server (a proxy, a test double) that echoes the request into `x-line-request-id` must
// not carry a channel secret, token or assertion into an error's `requestId`, `toJSON()`
// or `util.inspect`: only LINE's shape of request id (a UUID) is kept.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';

import {
  ALL_OPERATIONS,
  ChannelAccessTokenClient,
  LineApiError,
  LineInvalidResponseError,
  type OperationName,
} from '../../src/index.js';
import { assertNoSecrets, callOperation, failure } from './helpers.js';

const OPERATIONS: readonly OperationName[] = ALL_OPERATIONS;

let server: Server;
let baseUrl: string;
/** What the echo server answers with: the status and body. */
let answer: { status: number; body: string } = { status: 400, body: '{"error":"invalid_request"}' };

before(async () => {
  // Echoes the request's form body or query, decoded, into the request-id header.
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').search.slice(1);
      const echoed = [...new URLSearchParams(body || query).values()].join(' ');
      res.statusCode = answer.status;
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-line-request-id', echoed);
      res.end(answer.body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

describe('requestId keeps only the shape of LINE request ids', () => {
  for (const op of OPERATIONS) {
    test(`${op}: an echoed request in x-line-request-id is dropped from a LineApiError`, async () => {
      answer = { status: 400, body: '{"error":"invalid_request"}' };
      const client = new ChannelAccessTokenClient({ baseUrl, retry: false });
      const error = await failure(callOperation(client, op));
      assert.ok(error instanceof LineApiError, `got ${String(error)}`);
      assert.equal(error.requestId, undefined);
      assertNoSecrets(error);
    });
  }

  test('an echoed request is dropped from a LineInvalidResponseError too', async () => {
    answer = { status: 200, body: '{"unexpected":true}' };
    const client = new ChannelAccessTokenClient({ baseUrl, retry: false });
    const error = await failure(callOperation(client, 'issueStateless'));
    assert.ok(error instanceof LineInvalidResponseError, `got ${String(error)}`);
    assert.equal(error.requestId, undefined);
    assertNoSecrets(error);
  });

  test('a UUID is kept; any other shape, a bare hex secret included, is not', () => {
    const uuid = '5e4c7d1a-9b2f-4c3e-8a1d-0f6b2e9c4d7a';
    const kept = (requestId: string) =>
      new LineApiError({ operation: 'revoke', status: 400, requestId }).requestId;
    assert.equal(kept(uuid), uuid);
    assert.equal(kept(uuid.toUpperCase()), uuid.toUpperCase());
    for (const bad of [
      '0123456789abcdef0123456789abcdef', // a channel secret's shape
      `${uuid} secret`,
      `${uuid}\n`,
      `x${uuid}`,
      'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxIn0.sig',
      '',
    ]) {
      assert.equal(kept(bad), undefined, `kept ${JSON.stringify(bad)}`);
    }
    const odd = new LineInvalidResponseError({
      operation: 'verify',
      status: 200,
      reason: 'r',
      requestId: 'a-secret',
    });
    assert.equal(odd.requestId, undefined);
    assert.equal(JSON.stringify(odd).includes('a-secret'), false);
  });
});
