// The exact request of every operation (method, path, content type, every field and
// nothing else, no Authorization header) and the typed result built from LINE's answer.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, test } from 'node:test';

import { ChannelAccessTokenClient } from '../../src/index.js';
import { CLIENT_DEFAULTS } from '../../src/client/defaults.js';
import { recorderForFile, type RecordedRequest } from './recorder.js';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
// Shaped like the real thing; the `+`, `/` and `=` check the form encoding.
const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2ln+/=';
const SECRET = 'b4f3c6e2a1d0f9e8c7b6a5d4e3f2a1b0';
const TOKEN = 'W1TeHCgfH2Liwa+/abc=';

const server = await recorderForFile();
let clock: number;
let client: ChannelAccessTokenClient;

beforeEach(() => {
  clock = 1_700_000_000_000;
  client = new ChannelAccessTokenClient({ baseUrl: server.url, now: () => clock, retry: false });
});

function only(): RecordedRequest {
  assert.equal(server.requests.length, 1, 'exactly one request');
  return server.requests[0]!;
}

function assertForm(
  req: RecordedRequest,
  method: string,
  path: string,
  fields: [string, string][],
): void {
  assert.equal(req.method, method);
  assert.equal(req.path, path);
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal([...req.query].length, 0, 'no query string on a POST');
  // Every field, in any order, and nothing else.
  assert.deepEqual([...new URLSearchParams(req.body)].sort(), [...fields].sort());
  assert.equal(req.headers.authorization, undefined);
  assert.equal(req.headers['user-agent'], CLIENT_DEFAULTS.userAgent);
}

function assertQuery(req: RecordedRequest, path: string, fields: [string, string][]): void {
  assert.equal(req.method, 'GET');
  assert.equal(req.path, path);
  assert.equal(req.body, '');
  assert.equal(req.headers['content-type'], undefined);
  assert.deepEqual([...req.query].sort(), [...fields].sort());
  assert.equal(req.headers.authorization, undefined);
  assert.equal(req.headers['user-agent'], CLIENT_DEFAULTS.userAgent);
}

describe('issueShortLived', () => {
  test('posts grant_type, client_id and client_secret as a form', async () => {
    server.reply({ body: { access_token: 'short-1', expires_in: 2592000, token_type: 'Bearer' } });
    const token = await client.issueShortLived({ channelId: '1234567890', channelSecret: SECRET });
    assertForm(only(), 'POST', '/v2/oauth/accessToken', [
      ['grant_type', 'client_credentials'],
      ['client_id', '1234567890'],
      ['client_secret', SECRET],
    ]);
    assert.deepEqual(token, {
      accessToken: 'short-1',
      tokenType: 'Bearer',
      expiresIn: 2592000,
      expiresAt: clock + 2592000 * 1000,
    });
  });
});

describe('verify', () => {
  test('posts access_token and returns the verification', async () => {
    server.reply({ body: { client_id: '1350031035', expires_in: 3138007490, scope: 'P CM' } });
    const result = await client.verify({ accessToken: TOKEN });
    assertForm(only(), 'POST', '/v2/oauth/verify', [['access_token', TOKEN]]);
    assert.deepEqual(result, {
      clientId: '1350031035',
      expiresIn: 3138007490,
      expiresAt: clock + 3138007490 * 1000,
      scope: 'P CM',
    });
  });

  test('leaves scope out when LINE sends none', async () => {
    server.reply({ body: { client_id: '1', expires_in: 10 } });
    const result = await client.verify({ accessToken: TOKEN });
    assert.equal('scope' in result, false);
  });
});

describe('revoke', () => {
  test('posts access_token and resolves to undefined on an empty 200', async () => {
    server.reply({ status: 200 });
    assert.equal(await client.revoke({ accessToken: TOKEN }), undefined);
    assertForm(only(), 'POST', '/v2/oauth/revoke', [['access_token', TOKEN]]);
  });
});

describe('issueV21', () => {
  test('posts the assertion with both grant and assertion types', async () => {
    server.reply({
      body: {
        access_token: 'eyJhbGciOiJIUzI1NiJ9.a.b',
        token_type: 'Bearer',
        expires_in: 86400,
        key_id: 'sDTOzw5wIfxxxxPEzcmeQA',
      },
    });
    const token = await client.issueV21({ assertion: ASSERTION });
    assertForm(only(), 'POST', '/oauth2/v2.1/token', [
      ['grant_type', 'client_credentials'],
      ['client_assertion_type', ASSERTION_TYPE],
      ['client_assertion', ASSERTION],
    ]);
    assert.deepEqual(token, {
      accessToken: 'eyJhbGciOiJIUzI1NiJ9.a.b',
      tokenType: 'Bearer',
      expiresIn: 86400,
      expiresAt: clock + 86400 * 1000,
      keyId: 'sDTOzw5wIfxxxxPEzcmeQA',
    });
  });
});

describe('verifyV21', () => {
  test('sends access_token in the query string of a GET', async () => {
    server.reply({
      body: { client_id: '1573163733', expires_in: 2591659, scope: 'profile chat_message.write' },
    });
    const result = await client.verifyV21({ accessToken: TOKEN });
    assertQuery(only(), '/oauth2/v2.1/verify', [['access_token', TOKEN]]);
    assert.equal(result.clientId, '1573163733');
    assert.equal(result.expiresAt, clock + 2591659 * 1000);
  });
});

describe('revokeV21', () => {
  test('posts client_id, client_secret and access_token', async () => {
    server.reply({ status: 200, body: '' });
    await client.revokeV21({ channelId: '1234567890', channelSecret: SECRET, accessToken: TOKEN });
    assertForm(only(), 'POST', '/oauth2/v2.1/revoke', [
      ['client_id', '1234567890'],
      ['client_secret', SECRET],
      ['access_token', TOKEN],
    ]);
  });
});

describe('getValidKeyIds', () => {
  test('sends the assertion and its type as query parameters', async () => {
    const kids = ['U_gdnFYKTWRxxxxDVZexGg', 'sDTOzw5wIfWxxxxzcmeQA'];
    server.reply({ body: { kids } });
    assert.deepEqual(await client.getValidKeyIds({ assertion: ASSERTION }), kids);
    assertQuery(only(), '/oauth2/v2.1/tokens/kid', [
      ['client_assertion_type', ASSERTION_TYPE],
      ['client_assertion', ASSERTION],
    ]);
  });

  test('an empty list is a valid answer', async () => {
    server.reply({ body: { kids: [] } });
    assert.deepEqual(await client.getValidKeyIds({ assertion: ASSERTION }), []);
  });
});

describe('issueStateless', () => {
  const answer = { token_type: 'Bearer', access_token: 'stateless-1', expires_in: 900 };

  test('by secret: posts grant_type, client_id and client_secret only', async () => {
    server.reply({ body: answer });
    const token = await client.issueStateless({ channelId: '1234567890', channelSecret: SECRET });
    assertForm(only(), 'POST', '/oauth2/v3/token', [
      ['grant_type', 'client_credentials'],
      ['client_id', '1234567890'],
      ['client_secret', SECRET],
    ]);
    assert.deepEqual(token, {
      accessToken: 'stateless-1',
      tokenType: 'Bearer',
      expiresIn: 900,
      expiresAt: clock + 900_000,
    });
  });

  test('by assertion: posts grant_type and the assertion only', async () => {
    server.reply({ body: answer });
    await client.issueStateless({ assertion: ASSERTION });
    assertForm(only(), 'POST', '/oauth2/v3/token', [
      ['grant_type', 'client_credentials'],
      ['client_assertion_type', ASSERTION_TYPE],
      ['client_assertion', ASSERTION],
    ]);
  });
});

describe('transport', () => {
  test('expiresAt counts from when the request was sent, not when the answer came', async () => {
    const start = clock;
    // Time passes while "LINE" works on the request: the client must not count it.
    const slowClock = { now: start };
    const slowClient = new ChannelAccessTokenClient({
      baseUrl: server.url,
      now: () => slowClock.now,
      retry: false,
    });
    const pending = slowClient.issueStateless({ channelId: '1', channelSecret: SECRET });
    slowClock.now = start + 5_000;
    server.reply({ body: { access_token: 'x', expires_in: 900, token_type: 'Bearer' } });
    const token = await pending;
    assert.equal(token.expiresAt, start + 900_000);
  });

  test('a trailing slash and a path prefix in baseUrl are both handled', async () => {
    server.reply({ status: 200 }, { status: 200 });
    await new ChannelAccessTokenClient({ baseUrl: `${server.url}/`, retry: false }).revoke({
      accessToken: TOKEN,
    });
    await new ChannelAccessTokenClient({
      baseUrl: `${server.url}/proxy/line//`,
      retry: false,
    }).revoke({ accessToken: TOKEN });
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/v2/oauth/revoke', '/proxy/line/v2/oauth/revoke'],
    );
  });

  test('sends the configured User-Agent and asks for JSON', async () => {
    server.reply({ status: 200 });
    await new ChannelAccessTokenClient({ baseUrl: server.url, userAgent: 'my-bot/2.0' }).revoke({
      accessToken: TOKEN,
    });
    assert.equal(only().headers['user-agent'], 'my-bot/2.0');
    assert.equal(only().headers.accept, 'application/json');
  });

  test('the default User-Agent carries the package version', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    assert.equal(CLIENT_DEFAULTS.userAgent, `line-token/${pkg.version}`);
  });

  test('an injected fetch receives the method, headers, body and a signal', async () => {
    const calls: {
      url: string;
      init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal };
    }[] = [];
    const injected = new ChannelAccessTokenClient({
      baseUrl: server.url,
      fetch: async (url, init) => {
        calls.push({ url, init });
        return fetch(url, init);
      },
    });
    server.reply({ status: 200 });
    await injected.revoke({ accessToken: TOKEN });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]!.url, `${server.url}/v2/oauth/revoke`);
    assert.equal(calls[0]!.init.method, 'POST');
    assert.equal(calls[0]!.init.body, `access_token=${encodeURIComponent(TOKEN)}`);
    assert.ok(calls[0]!.init.signal instanceof AbortSignal);
    assert.equal(only().method, 'POST');
  });
});
