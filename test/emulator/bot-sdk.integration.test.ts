// LINE's official Node SDK against the emulator: all eight operations get the spec'd answers,
// and refusals come back as the SDK's own HTTPFetchError with LINE's status and body.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HTTPFetchError, channelAccessToken } from '@line/bot-sdk';
import type { Emulator } from '../../src/emulator/index.js';
import { ASSERTION_TYPE, FakeClock, claims, header, rsaKey, signJws, start } from './helpers.js';

const CH = { id: '1700000001', secret: '7'.repeat(32) };
const key = rsaKey('sdk');

describe('@line/bot-sdk ChannelAccessTokenClient against the emulator', () => {
  let emu: Emulator;
  let clock: FakeClock;
  let kid: string;
  let sdk: channelAccessToken.ChannelAccessTokenClient;
  const assertion = (over: Record<string, unknown> = {}) =>
    signJws(header(kid), claims(CH.id, clock.sec, over), key.privateKey);

  before(async () => {
    ({ emu, clock } = await start({ channels: [CH] }));
    ({ kid } = await emu.admin.registerKey(CH.id, key.publicJwk));
    sdk = new channelAccessToken.ChannelAccessTokenClient({ baseURL: emu.url });
  });
  after(() => emu.close());

  test('issueChannelToken, verifyChannelToken, revokeChannelToken (short-lived)', async () => {
    const issued = await sdk.issueChannelToken('client_credentials', CH.id, CH.secret);
    assert.equal(issued.expires_in, 2_592_000);
    assert.equal(issued.token_type, 'Bearer');
    const verified = await sdk.verifyChannelToken(issued.access_token);
    assert.deepEqual(verified, { client_id: CH.id, expires_in: 2_592_000, scope: 'P CM' });
    const revoked = await sdk.revokeChannelToken(issued.access_token);
    assert.equal(revoked, null, 'empty 200 body');
    await assert.rejects(sdk.verifyChannelToken(issued.access_token), (e: unknown) => {
      assert.ok(e instanceof HTTPFetchError);
      assert.equal(e.status, 400);
      assert.deepEqual(JSON.parse(e.body), {
        error: 'invalid_request',
        error_description: 'access_token invalid',
      });
      assert.ok(e.headers.get('x-line-request-id'));
      return true;
    });
  });

  test('issueChannelTokenByJWT, verifyChannelTokenByJWT, getsAllValidChannelAccessTokenKeyIds, revokeChannelTokenByJWT (v2.1)', async () => {
    const issued = await sdk.issueChannelTokenByJWT(
      'client_credentials',
      ASSERTION_TYPE,
      assertion({ token_exp: 3600 }),
    );
    assert.equal(issued.expires_in, 3600);
    assert.match(issued.key_id, /^[A-Za-z0-9_-]{22}$/);
    const verified = await sdk.verifyChannelTokenByJWT(issued.access_token);
    assert.equal(verified.client_id, CH.id);
    assert.equal(verified.expires_in, 3600);
    const kids = await sdk.getsAllValidChannelAccessTokenKeyIds(
      ASSERTION_TYPE,
      assertion({ token_exp: undefined }),
    );
    assert.deepEqual(kids.kids, [issued.key_id]);
    assert.equal(await sdk.revokeChannelTokenByJWT(CH.id, CH.secret, issued.access_token), null);
    await assert.rejects(sdk.verifyChannelTokenByJWT(issued.access_token), (e: unknown) => {
      assert.ok(e instanceof HTTPFetchError);
      assert.equal(e.status, 400);
      assert.deepEqual(JSON.parse(e.body), {
        error: 'invalid_request',
        error_description: 'The access token revoked',
      });
      return true;
    });
  });

  test('issueStatelessChannelToken, by secret and by assertion', async () => {
    const bySecret = await sdk.issueStatelessChannelToken(
      'client_credentials',
      undefined,
      undefined,
      CH.id,
      CH.secret,
    );
    assert.equal(bySecret.expires_in, 900);
    const byAssertion = await sdk.issueStatelessChannelToken(
      'client_credentials',
      ASSERTION_TYPE,
      assertion(),
    );
    assert.equal(byAssertion.token_type, 'Bearer');
    await assert.rejects(
      sdk.issueStatelessChannelToken('client_credentials', undefined, undefined, CH.id, 'wrong'),
      (e: unknown) =>
        e instanceof HTTPFetchError &&
        e.status === 400 &&
        JSON.parse(e.body).error_description === "Invalid 'client_credentials'.",
    );
  });

  test('refusals come back as HTTPFetchError with the status: 404 unknown kid, 400 limit, 400 bad secret', async () => {
    await assert.rejects(
      sdk.issueChannelTokenByJWT(
        'client_credentials',
        ASSERTION_TYPE,
        signJws(header('nope'), claims(CH.id, clock.sec), key.privateKey),
      ),
      (e: unknown) =>
        e instanceof HTTPFetchError &&
        e.status === 404 &&
        JSON.parse(e.body).message === 'Cannot find channel key that satisfies the conditions',
    );
    for (let i = 0; i < 30; i++)
      await sdk.issueChannelTokenByJWT('client_credentials', ASSERTION_TYPE, assertion());
    await assert.rejects(
      sdk.issueChannelTokenByJWT('client_credentials', ASSERTION_TYPE, assertion()),
      (e: unknown) =>
        e instanceof HTTPFetchError &&
        e.status === 400 &&
        JSON.parse(e.body).message ===
          'The maximum number of access tokens has already been issued',
    );
    await assert.rejects(
      sdk.issueChannelToken('client_credentials', CH.id, 'wrong'),
      (e: unknown) =>
        e instanceof HTTPFetchError &&
        e.status === 400 &&
        JSON.parse(e.body).error === 'invalid_client',
    );
  });
});
