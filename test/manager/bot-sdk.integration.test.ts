// The recipe for @line/bot-sdk's MessagingApiClient (v11): its token is fixed at
// construction and its requests go through the global fetch, so managedClient() builds one
// client per managed token and, on the SDK's 401 HTTPFetchError, hands the token back and
// runs the call once more. The Messaging API stand-in checks every bearer token with the
// emulator's v2.1 verify, so a token LINE would refuse is refused here too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import { InvalidArgumentError } from '../../src/errors.js';
import { managedClient } from '../../src/manager/managed-client.js';
import { TokenManager } from '../../src/manager/manager.js';
import { startLine, type Channel, type Line } from './helpers/channel.js';
import {
  INVALID_TOKEN_BODY,
  startMessagingApi,
  type MessagingApi,
} from './helpers/messaging-api.js';
import { closeAfter, defer } from '../fixtures.js';

const RETRY_KEY = '123e4567-e89b-12d3-a456-426614174000';
const hello = { to: 'U4af4980629', messages: [{ type: 'text' as const, text: 'Hello' }] };

let line: Line;
before(async () => {
  line = await startLine();
});
after(() => line.close());

interface Fixture {
  channel: Channel;
  api: MessagingApi;
  manager: TokenManager;
  /** Tokens the SDK clients were built with, in order. */
  built: string[];
  line: ReturnType<typeof managedClient<messagingApi.MessagingApiClient>>;
  close(): Promise<void>;
}

async function fixture(accepts?: (token: string) => Promise<boolean>): Promise<Fixture> {
  const channel = await line.channel('v2.1');
  const api = await startMessagingApi(accepts ?? ((token) => channel.accepts(token)));
  const manager = new TokenManager({
    strategy: channel.strategy,
    clientOptions: { baseUrl: line.emu.url },
  });
  const built: string[] = [];
  // The recipe as the docs give it, with baseURL pointed at the stand-in.
  const client = managedClient(manager, {
    create: (channelAccessToken) => {
      built.push(channelAccessToken);
      return new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: api.url });
    },
  });
  return {
    channel,
    api,
    manager,
    built,
    line: client,
    async close() {
      await manager.close();
      await api.close();
    },
  };
}

describe('@line/bot-sdk MessagingApiClient with the managed token', () => {
  test('pushes with the managed token, one SDK client per token', async (t) => {
    const f = closeAfter(t, await fixture());
    for (let i = 0; i < 3; i++) {
      const sent = await f.line.call((c) => c.pushMessage(hello));
      assert.deepEqual(sent, { sentMessages: [{ id: '1', quoteToken: 'q1' }] });
    }
    const token = await f.manager.getToken();
    assert.deepEqual(f.built, [token]);
    assert.deepEqual(
      f.api.seen.map((s) => [s.method, s.path, s.token, s.status]),
      Array.from({ length: 3 }, () => ['POST', '/v2/bot/message/push', token, 200]),
    );
    assert.deepEqual(JSON.parse(f.api.seen[0]!.body.toString()), hello);
  });

  test('a token refused with 401 goes back to the manager: one issue, one retry, same retry key', async (t) => {
    const f = closeAfter(t, await fixture());
    const old = await f.manager.getToken();
    await f.line.call((c) => c.pushMessage(hello));
    const issuedBefore = await line.count('issueV21');
    await f.channel.revoke(old);

    const sent = await f.line.call((c) => c.pushMessage(hello, RETRY_KEY));
    assert.deepEqual(sent, { sentMessages: [{ id: '1', quoteToken: 'q1' }] });
    assert.equal(await line.count('issueV21'), issuedBefore + 1);
    const fresh = await f.manager.getToken();
    assert.notEqual(fresh, old);
    assert.deepEqual(f.built, [old, fresh]);
    assert.deepEqual(
      f.api.seen.slice(1).map((s) => [s.token, s.status, s.headers['x-line-retry-key']]),
      [
        [old, 401, RETRY_KEY],
        [fresh, 200, RETRY_KEY],
      ],
    );
    assert.equal(f.manager.status().counts.invalidations, 1);
  });

  test("a second 401 is thrown as the SDK's HTTPFetchError, after exactly one retry", async (t) => {
    const f = closeAfter(t, await fixture(() => Promise.resolve(false)));
    // LINE itself refuses the first token (revoked), so the manager replaces it once.
    await f.channel.revoke(await f.manager.getToken());
    await assert.rejects(
      f.line.call((c) => c.pushMessage(hello)),
      (err: unknown) => {
        assert.ok(err instanceof HTTPFetchError);
        assert.equal(err.status, 401);
        assert.deepEqual(JSON.parse(err.body), INVALID_TOKEN_BODY);
        return true;
      },
    );
    assert.equal(f.api.seen.length, 2);
    assert.equal(f.built.length, 2);
    assert.notEqual(f.api.seen[0]!.token, f.api.seen[1]!.token);
  });

  test('a 401 for a token LINE still accepts is thrown as is: no new token, no second call', async (t) => {
    const f = closeAfter(t, await fixture(() => Promise.resolve(false)));
    const token = await f.manager.getToken();
    for (let i = 0; i < 3; i++) {
      await assert.rejects(
        f.line.call((c) => c.pushMessage(hello)),
        (err: unknown) => err instanceof HTTPFetchError && err.status === 401,
      );
    }
    assert.equal(f.api.seen.length, 3, 'one call each, none repeated');
    assert.deepEqual(f.built, [token]);
    assert.equal(await f.manager.getToken(), token);
    assert.equal(f.manager.status().counts.issued, 1);
  });

  test('any other failure is thrown at once, and the token is kept', async (t) => {
    const f = closeAfter(t, await fixture());
    const token = await f.manager.getToken();
    await assert.rejects(
      f.line.call((c) => c.pushMessage({ to: 'U4af4980629', messages: [] })),
      (err: unknown) => err instanceof HTTPFetchError && err.status === 400,
    );
    assert.equal(f.api.seen.length, 1);
    assert.equal(f.manager.status().counts.invalidations, 0);
    assert.equal(await f.manager.getToken(), token);
  });

  test('a token replaced by the manager gets a new SDK client on the next call', async (t) => {
    const f = closeAfter(t, await fixture());
    await f.line.call((c) => c.pushMessage(hello));
    const old = await f.manager.getToken();
    await f.channel.revoke(old);
    await f.manager.invalidate(old);
    await f.line.call((c) => c.pushMessage(hello));
    const fresh = await f.manager.getToken();
    assert.deepEqual(f.built, [old, fresh]);
    assert.deepEqual(
      f.api.seen.map((s) => s.token),
      [old, fresh],
    );
  });

  test('isUnauthorized decides what counts as a refused token', async (t) => {
    const manager = new TokenManager({
      strategy: { type: 'static', accessToken: 'console-token' },
    });
    defer(t, () => manager.close());
    const seen: unknown[] = [];
    const client = managedClient(manager, {
      create: (token) => token,
      isUnauthorized: (err) => {
        seen.push(err);
        return false;
      },
    });
    const refusal = Object.assign(new Error('refused'), { status: 401 });
    await assert.rejects(
      client.call(() => Promise.reject(refusal)),
      (err: unknown) => err === refusal,
    );
    assert.deepEqual(seen, [refusal]);
    assert.equal(manager.status().counts.invalidations, 0);
  });

  test('bad arguments are refused with the option named', () => {
    const manager = new TokenManager({ strategy: { type: 'static', accessToken: 't' } });
    assert.throws(
      () => managedClient({} as TokenManager, { create: (t) => t }),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'manager',
    );
    assert.throws(
      () => managedClient(manager, {} as never),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'create',
    );
    assert.throws(
      () => managedClient(manager, { create: (t) => t, isUnauthorized: 1 as never }),
      (err: unknown) => err instanceof InvalidArgumentError && err.argument === 'isUnauthorized',
    );
    assert.throws(
      () =>
        managedClient(manager, { create: (t: string) => t, isUnauthorised: () => true } as never),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err.argument === 'isUnauthorised' &&
        /did you mean "isUnauthorized"\?/.test(err.message),
    );
  });
});
