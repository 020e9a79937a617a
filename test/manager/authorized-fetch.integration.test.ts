// authorizedFetch against a real Messaging API stand-in (node:http on 127.0.0.1) that checks
// each bearer token with the emulator's v2.1 verify, and a TokenManager issuing on the
// emulator: the header, one refresh and one retry after a 401, one issue for many
// concurrent 401s, no loop, no replay of a stream.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InvalidArgumentError, TokenUnavailableError } from '../../src/errors.js';
import { authorizedFetch } from '../../src/manager/authorized-fetch.js';
import { TokenManager } from '../../src/manager/manager.js';
import type { TokenManagerWarning } from '../../src/manager/types.js';
import { startLine, type Channel, type Line } from './helpers/channel.js';
import {
  INVALID_TOKEN_BODY,
  startMessagingApi,
  type MessagingApi,
} from './helpers/messaging-api.js';
import { closeAfter, defer, type Scope } from '../fixtures.js';

const PUSH = '/v2/bot/message/push';
const pushBody = JSON.stringify({ to: 'U4af4980629', messages: [{ type: 'text', text: 'Hello' }] });

let line: Line;
before(async () => {
  line = await startLine();
});
after(() => line.close());

interface Fixture {
  channel: Channel;
  api: MessagingApi;
  manager: TokenManager;
}

/**
 * A v2.1 channel, a manager on it and a Messaging API that asks the emulator about tokens,
 * closed when the test ends.
 */
async function fixture(t: Scope): Promise<Fixture> {
  const channel = await line.channel('v2.1');
  const api = await startMessagingApi((token) => channel.accepts(token));
  const manager = new TokenManager({
    strategy: channel.strategy,
    clientOptions: { baseUrl: line.emu.url },
  });
  closeAfter(t, api);
  closeAfter(t, manager);
  return { channel, api, manager };
}

type Body = NonNullable<RequestInit['body']>;

const post = (body: Body, headers: HeadersInit = {}): RequestInit => ({
  method: 'POST',
  headers,
  body,
});

describe('authorizedFetch', () => {
  test('sends the managed token as a Bearer header and keeps the caller headers', async (t) => {
    const f = await fixture(t);
    const lineFetch = authorizedFetch(f.manager);
    const token = await f.manager.getToken();
    const shapes: HeadersInit[] = [
      new Headers({ 'content-type': 'application/json', 'x-line-retry-key': 'k1' }),
      [
        ['content-type', 'application/json'],
        ['x-line-retry-key', 'k2'],
      ],
      {
        'content-type': 'application/json',
        'x-line-retry-key': 'k3',
        Authorization: 'Bearer stale',
      },
    ];
    for (const headers of shapes) {
      const res = await lineFetch(`${f.api.url}${PUSH}`, post(pushBody, headers));
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { sentMessages: [{ id: '1', quoteToken: 'q1' }] });
    }
    assert.deepEqual(
      f.api.seen.map((s) => [s.token, s.headers['content-type'], s.headers['x-line-retry-key']]),
      [
        [token, 'application/json', 'k1'],
        [token, 'application/json', 'k2'],
        [token, 'application/json', 'k3'],
      ],
    );
    // The caller's own Authorization was replaced, not sent alongside.
    assert.equal(f.api.seen[2]!.headers.authorization, `Bearer ${token}`);
    assert.equal(f.api.seen[2]!.body.toString(), pushBody);
  });

  test('a Request input keeps its method and headers, and init headers replace them as in fetch', async (t) => {
    const f = await fixture(t);
    const lineFetch = authorizedFetch(f.manager);
    const token = await f.manager.getToken();
    const request = new Request(`${f.api.url}/v2/bot/info`, { headers: { 'x-trace': 'a' } });
    assert.equal((await lineFetch(request)).status, 200);
    assert.equal((await lineFetch(request, { headers: { 'x-other': 'b' } })).status, 200);
    assert.deepEqual(
      f.api.seen.map((s) => [
        s.method,
        s.path,
        s.token,
        s.headers['x-trace'],
        s.headers['x-other'],
      ]),
      [
        ['GET', '/v2/bot/info', token, 'a', undefined],
        ['GET', '/v2/bot/info', token, undefined, 'b'],
      ],
    );
  });

  test('one 401: the token goes back, exactly one refresh, one retry with the new token', async (t) => {
    const f = await fixture(t);
    const lineFetch = authorizedFetch(f.manager);
    const old = await f.manager.getToken();
    const issuedBefore = await line.count('issueV21');
    await f.channel.revoke(old);

    const res = await lineFetch(`${f.api.url}${PUSH}`, post(pushBody));
    assert.equal(res.status, 200);
    assert.equal(await line.count('issueV21'), issuedBefore + 1);
    const fresh = await f.manager.getToken();
    assert.notEqual(fresh, old);
    assert.deepEqual(
      f.api.seen.map((s) => [s.token, s.status, s.body.toString()]),
      [
        [old, 401, pushBody],
        [fresh, 200, pushBody],
      ],
    );
    assert.equal(f.manager.status().counts.invalidations, 1);
    assert.ok(await f.channel.accepts(fresh));
  });

  test('50 concurrent requests refused with the same token cause exactly one issue request', async (t) => {
    const f = await fixture(t);
    const lineFetch = authorizedFetch(f.manager);
    const old = await f.manager.getToken();
    const issuedBefore = await line.count('issueV21');
    await f.channel.revoke(old);

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => lineFetch(`${f.api.url}${PUSH}`, post(pushBody))),
    );
    assert.deepEqual(new Set(answers.map((r) => r.status)), new Set([200]));
    assert.equal(await line.count('issueV21'), issuedBefore + 1, 'one issue for all 50');
    const fresh = await f.manager.getToken();
    const refusedTokens = f.api.seen.filter((s) => s.status === 401).map((s) => s.token);
    const servedTokens = f.api.seen.filter((s) => s.status === 200).map((s) => s.token);
    assert.equal(refusedTokens.length, 50);
    assert.deepEqual(new Set(refusedTokens), new Set([old]));
    assert.equal(servedTokens.length, 50, 'each request retried exactly once');
    assert.deepEqual(new Set(servedTokens), new Set([fresh]));
    assert.equal(f.manager.status().counts.invalidations, 1);
  });

  test('a second 401 is returned to the caller as is: one retry, never a loop', async (t) => {
    const f = await fixture(t);
    const lineFetch = authorizedFetch(f.manager);
    const issuedBefore = await line.count('issueV21');
    const old = await f.manager.getToken();
    await f.channel.revoke(old);
    // Every token is refused here, the new one too (a suspended channel, say).
    const api = closeAfter(t, await startMessagingApi(() => Promise.resolve(false)));
    const res = await lineFetch(`${api.url}${PUSH}`, post(pushBody));
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), INVALID_TOKEN_BODY, 'the body is readable as LINE sent it');
    assert.equal(res.headers.get('x-line-request-id'), 'req-2');
    assert.equal(api.seen.length, 2);
    assert.equal(api.seen[0]!.token, old);
    assert.notEqual(api.seen[1]!.token, old);
    assert.equal(await line.count('issueV21'), issuedBefore + 2, 'the first token and one refresh');
  });

  test('100 requests refused with 401 by a proxy while LINE accepts the token: no new token, one verify, a warning naming the cause', async (t) => {
    const channel = await line.channel('v2.1');
    const warnings: TokenManagerWarning[] = [];
    const manager = new TokenManager({
      strategy: channel.strategy,
      clientOptions: { baseUrl: line.emu.url },
      onWarning: (w) => warnings.push(w),
    });
    // A gateway with its own authentication in front of the Messaging API: it refuses
    // every bearer token, however valid.
    const proxy = await startMessagingApi(() => Promise.resolve(false));
    defer(t, async () => {
      await manager.close();
      await proxy.close();
    });
    const lineFetch = authorizedFetch(manager);
    const token = await manager.getToken();
    const issuedBefore = await line.count('issueV21');
    const verifiesBefore = await line.count('verifyV21');
    const answers = [];
    for (let i = 0; i < 50; i++)
      answers.push(await lineFetch(`${proxy.url}${PUSH}`, post(pushBody)));
    answers.push(
      ...(await Promise.all(
        Array.from({ length: 50 }, () => lineFetch(`${proxy.url}${PUSH}`, post(pushBody))),
      )),
    );
    assert.deepEqual(new Set(answers.map((r) => r.status)), new Set([401]));
    assert.equal(
      await line.count('issueV21'),
      issuedBefore,
      'no token issued for a 401 LINE does not stand behind',
    );
    assert.equal(await line.count('verifyV21'), verifiesBefore + 1, 'LINE asked once');
    assert.equal(proxy.seen.length, 100, 'no request sent twice with the same token');
    assert.deepEqual(new Set(proxy.seen.map((s) => s.token)), new Set([token]));
    assert.equal(await manager.getToken(), token);
    assert.ok(await channel.accepts(token));
    const said = warnings.filter((w) => w.code === 'UNAUTHORIZED_BUT_VALID');
    assert.equal(said.length, 1, 'said once');
    assert.match(said[0]!.message, /still accepts.*gateway or proxy/);
    assert.ok(!said[0]!.message.includes(token));
  });

  const replayable: Array<[string, () => Body]> = [
    ['a string', () => pushBody],
    ['URLSearchParams', () => new URLSearchParams({ a: '1', b: 'two' })],
    ['a Uint8Array', () => new TextEncoder().encode(pushBody)],
    ['an ArrayBuffer', () => new TextEncoder().encode(pushBody).buffer],
    ['a Blob', () => new Blob([pushBody], { type: 'application/json' })],
    [
      'FormData',
      () => {
        const form = new FormData();
        form.set('field', 'value');
        return form;
      },
    ],
  ];
  for (const [name, make] of replayable) {
    test(`a body of ${name} is sent again, byte for byte, after a 401`, async (t) => {
      const f = await fixture(t);
      const lineFetch = authorizedFetch(f.manager);
      await f.channel.revoke(await f.manager.getToken());
      const res = await lineFetch(`${f.api.url}/v2/bot/anything`, post(make()));
      assert.equal(res.status, 200);
      assert.deepEqual(
        f.api.seen.map((s) => s.status),
        [401, 200],
      );
      const [first, second] = f.api.seen;
      assert.ok(first!.body.length > 0);
      if (name === 'FormData') {
        // Each send draws a new multipart boundary; the part itself is what must repeat.
        assert.match(second!.body.toString(), /name="field"\r\n\r\nvalue\r\n/);
      } else {
        assert.deepEqual(second!.body, first!.body);
      }
    });
  }

  test('a stream body is not sent again: the 401 comes back, the token still goes back', async (t) => {
    const f = await fixture(t);
    const lineFetch = authorizedFetch(f.manager);
    const old = await f.manager.getToken();
    await f.channel.revoke(old);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(pushBody));
        controller.close();
      },
    });
    const res = await lineFetch(`${f.api.url}${PUSH}`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), INVALID_TOKEN_BODY);
    assert.equal(f.api.seen.length, 1);
    assert.equal(f.api.seen[0]!.body.toString(), pushBody);
    // The caller's own retry gets a new token without a second 401.
    assert.equal(f.manager.status().counts.invalidations, 1);
    assert.notEqual(await f.manager.getToken(), old);
  });

  test("a Request input's own body is a stream, so it is not sent again either", async (t) => {
    const f = await fixture(t);
    const lineFetch = authorizedFetch(f.manager);
    await f.channel.revoke(await f.manager.getToken());
    const res = await lineFetch(new Request(`${f.api.url}${PUSH}`, post(pushBody)));
    assert.equal(res.status, 401);
    assert.equal(f.api.seen.length, 1);
  });

  test('when no new token can be had after a 401, the promise rejects with the reason', async (t) => {
    const api = await startMessagingApi();
    const manager = new TokenManager({
      strategy: { type: 'static', accessToken: 'console-token' },
    });
    defer(t, async () => {
      await manager.close();
      await api.close();
    });
    api.refused.add('console-token');
    const lineFetch = authorizedFetch(manager);
    await assert.rejects(lineFetch(`${api.url}${PUSH}`, post(pushBody)), (err: unknown) => {
      assert.ok(err instanceof TokenUnavailableError);
      assert.match(err.message, /refused by the Messaging API/);
      assert.doesNotMatch(err.message, /console-token/);
      return true;
    });
    assert.equal(api.seen.length, 1);
  });

  test('an aborted signal stops the call before anything is sent', async (t) => {
    const f = await fixture(t);
    const lineFetch = authorizedFetch(f.manager);
    const reason = new Error('caller gave up');
    await assert.rejects(
      lineFetch(`${f.api.url}${PUSH}`, { ...post(pushBody), signal: AbortSignal.abort(reason) }),
      (err: unknown) => err === reason || (err as Error).name === 'AbortError',
    );
    assert.equal(f.api.seen.length, 0);
  });

  test('the fetch option sends the requests', async (t) => {
    const f = await fixture(t);
    const urls: string[] = [];
    const lineFetch = authorizedFetch(f.manager, {
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    await f.channel.revoke(await f.manager.getToken());
    assert.equal((await lineFetch(`${f.api.url}${PUSH}`, post(pushBody))).status, 200);
    assert.deepEqual(urls, [`${f.api.url}${PUSH}`, `${f.api.url}${PUSH}`]);
  });

  test('bad arguments are refused with the option named', () => {
    assert.throws(
      () => authorizedFetch({} as TokenManager),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'manager',
    );
    const manager = new TokenManager({ strategy: { type: 'static', accessToken: 't' } });
    assert.throws(
      () => authorizedFetch(manager, { fetch: 'nope' as unknown as typeof fetch }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.argument === 'fetch' &&
        /"fetch" option must be a function \(got a string\)/.test(err.message),
    );
    assert.throws(
      () => authorizedFetch(manager, { fetsh: fetch } as never),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.argument === 'fetsh' &&
        /did you mean "fetch"\?/.test(err.message),
    );
  });
});
