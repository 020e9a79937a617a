// The admin API: the same table of refusals through the in-process admin and through
// createEmulatorAdmin over HTTP, plus the raw routes' JSON answers.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  createEmulatorAdmin,
  type Emulator,
  type EmulatorAdmin,
} from '../../src/emulator/index.js';
import {
  ASSERTION_TYPE,
  FakeClock,
  claims,
  header,
  postForm,
  raw,
  rsaKey,
  signJws,
  start,
} from './helpers.js';

const CH = { id: '1200000001', secret: 'e'.repeat(32) };
const key = rsaKey('admin');
const jwk = key.publicJwk;
const without = (name: string) => {
  const copy: Record<string, unknown> = { ...jwk };
  delete copy[name];
  return copy;
};

/** JWKs the Console refuses, and why. */
const BAD_JWKS: Array<[string, unknown, RegExp]> = [
  ['a JWK holding kid', { ...jwk, kid: 'mine' }, /must not hold "kid"/],
  [
    'an EC key',
    { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', alg: 'ES256', use: 'sig' },
    /"kty": "RSA"/,
  ],
  ['alg RS512', { ...jwk, alg: 'RS512' }, /"alg": "RS256"/],
  ['no alg', without('alg'), /"alg": "RS256"/],
  ['a 1024-bit key', rsaKey('small', 1024).publicJwk, /2048 bits, not 1024/],
  ['a 2560-bit key', rsaKey('large', 2560).publicJwk, /2048 bits, not 2560/],
  [
    'a private JWK',
    { ...(key.privateKey.export({ format: 'jwk' }) as object), alg: 'RS256', use: 'sig' },
    /private member "d"/,
  ],
  ['use enc', { ...jwk, use: 'enc' }, /"use" must be "sig"/],
  ['key_ops with sign', { ...without('use'), key_ops: ['verify', 'sign'] }, /exactly \["verify"\]/],
  ['neither use nor key_ops', without('use'), /"use": "sig"/],
  ['n that is not a modulus', { ...jwk, n: 'AQAB' }, /(2048 bits|not a usable)/],
  ['n missing', without('n'), /"n" and "e"/],
  ['an array', [jwk], /must be a JWK object/],
];

function suite(name: string, adminOf: (emu: Emulator) => EmulatorAdmin) {
  describe(name, () => {
    let emu: Emulator;
    let admin: EmulatorAdmin;
    let clock: FakeClock;
    before(async () => {
      ({ emu, clock } = await start({ channels: [CH] }));
      admin = adminOf(emu);
    });
    beforeEach(() => admin.reset());
    after(() => emu.close());

    test('creates channels with LINE-shaped ids and secrets, or the given ones', async () => {
      const made = await admin.createChannel();
      assert.match(made.id, /^[1-9][0-9]{9}$/);
      assert.match(made.secret, /^[0-9a-f]{32}$/);
      assert.deepEqual(await admin.createChannel({ id: 'abc', secret: 's' }), {
        id: 'abc',
        secret: 's',
      });
      await assert.rejects(admin.createChannel({ id: 'abc' }), (e: unknown) => {
        assert.ok(e instanceof InvalidArgumentError);
        assert.equal(e.argument, 'id');
        assert.match(e.message, /already exists/);
        return true;
      });
      await assert.rejects(admin.createChannel({ id: 'has space' }), { argument: 'id' });
    });

    test('registers a Console-style public JWK and answers a UUID kid', async () => {
      const { kid } = await admin.registerKey(CH.id, jwk);
      assert.match(kid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const again = await admin.registerKey(CH.id, {
        ...without('use'),
        key_ops: ['verify'],
        ext: true,
      });
      assert.notEqual(again.kid, kid);
    });

    for (const [why, bad, message] of BAD_JWKS) {
      test(`refuses ${why}`, async () => {
        await assert.rejects(admin.registerKey(CH.id, bad as object), (e: unknown) => {
          assert.ok(e instanceof InvalidArgumentError, String(e));
          assert.equal(e.argument, 'publicJwk');
          assert.match(e.message, message);
          return true;
        });
      });
    }

    test('refuses unknown channels with argument channelId', async () => {
      await assert.rejects(admin.registerKey('1999999999', jwk), { argument: 'channelId' });
      await assert.rejects(admin.listTokens('1999999999'), { argument: 'channelId' });
      await assert.rejects(admin.issueLongLived('1999999999'), { argument: 'channelId' });
    });

    test('deletes keys; assertions with the deleted kid are then a 404', async () => {
      const { kid } = await admin.registerKey(CH.id, jwk);
      await admin.deleteKey(CH.id, kid);
      await assert.rejects(admin.deleteKey(CH.id, kid), { argument: 'kid' });
      const r = await postForm(emu.url, '/oauth2/v2.1/token', {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: signJws(
          header(kid),
          claims(CH.id, Math.floor(Date.now() / 1000)),
          key.privateKey,
        ),
      });
      assert.equal(r.status, 404);
    });

    test('lists live tokens with family, times and key_id; counts requests per operation', async () => {
      const issued = await postForm(emu.url, '/v2/oauth/accessToken', {
        grant_type: 'client_credentials',
        client_id: CH.id,
        client_secret: CH.secret,
      });
      await postForm(emu.url, '/v2/oauth/accessToken', { grant_type: 'x' });
      const { accessToken } = await admin.issueLongLived(CH.id);
      const tokens = await admin.listTokens(CH.id);
      assert.deepEqual(
        tokens.map((t) => [t.family, t.accessToken]),
        [
          ['short-lived', (issued.json as { access_token: string }).access_token],
          ['long-lived', accessToken],
        ],
      );
      assert.equal(tokens[0]!.expiresAt! - tokens[0]!.issuedAt, 2_592_000_000);
      assert.equal(tokens[1]!.expiresAt, null);
      assert.deepEqual(await admin.stats(), { requests: { issueShortLived: 2 } });
    });

    test('reset keeps only the channels of the options and clears the rest', async () => {
      await admin.createChannel({ id: 'temp' });
      await admin.registerKey(CH.id, jwk);
      await admin.issueLongLived(CH.id);
      await admin.setFaults({ global: { sequence: [{ type: 'status', status: 503 }] } });
      await admin.advanceClock(100);
      await postForm(emu.url, '/v2/oauth/verify', {});
      await admin.reset();
      assert.deepEqual(await admin.listTokens(CH.id), []);
      await assert.rejects(admin.listTokens('temp'), { argument: 'channelId' });
      assert.deepEqual(await admin.stats(), { requests: {} });
      const after = await postForm(emu.url, '/v2/oauth/verify', {});
      assert.equal(after.status, 400, 'faults are cleared');
      assert.deepEqual(await admin.advanceClock(0), { now: clock.ms }, 'no clock offset left');
    });
  });
}

suite('in-process admin', (emu) => emu.admin);
suite('HTTP admin (createEmulatorAdmin)', (emu) => createEmulatorAdmin(emu.url));

const JSON_TYPE = { 'content-type': 'application/json' };

describe('admin routes over raw HTTP', () => {
  let emu: Emulator;
  before(async () => {
    ({ emu } = await start({ channels: [CH] }));
  });
  after(() => emu.close());

  test('answers JSON errors for unknown routes, wrong methods and bad JSON', async () => {
    const unknown = await raw(emu.url, { method: 'GET', path: '/__emulator/nope' });
    assert.equal(unknown.status, 404);
    assert.ok(typeof (unknown.json as { message: string }).message === 'string');
    const wrong = await raw(emu.url, { method: 'DELETE', path: '/__emulator/clock' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers['allow'], 'GET, POST');
    const badJson = await raw(emu.url, {
      method: 'POST',
      path: '/__emulator/channels',
      headers: JSON_TYPE,
      body: '{',
    });
    assert.equal(badJson.status, 400);
    assert.deepEqual(badJson.json, { message: 'the request body is not valid JSON' });
    for (const r of [unknown, wrong, badJson]) assert.ok(r.headers['x-line-request-id']);
  });

  test('POST /__emulator/channels/{id}/keys takes the JWK as the body and answers {"kid"}', async () => {
    const r = await raw(emu.url, {
      method: 'POST',
      path: `/__emulator/channels/${CH.id}/keys`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(jwk),
    });
    assert.equal(r.status, 201);
    assert.deepEqual(Object.keys(r.json as object), ['kid']);
    const refused = await raw(emu.url, {
      method: 'POST',
      path: `/__emulator/channels/${CH.id}/keys`,
      headers: JSON_TYPE,
      body: JSON.stringify({ ...jwk, kid: 'x' }),
    });
    assert.equal(refused.status, 400);
    assert.equal((refused.json as { argument: string }).argument, 'publicJwk');
  });

  test('GET and PUT /__emulator/faults round-trip the configuration', async () => {
    const config = { global: { random: [{ probability: 0.5, fault: { type: 'reset' } }] } };
    const put = await raw(emu.url, {
      method: 'PUT',
      path: '/__emulator/faults',
      headers: JSON_TYPE,
      body: JSON.stringify(config),
    });
    assert.equal(put.status, 200);
    const get = await raw(emu.url, { method: 'GET', path: '/__emulator/faults' });
    assert.deepEqual(get.json, config);
    const bad = await raw(emu.url, {
      method: 'PUT',
      path: '/__emulator/faults',
      headers: JSON_TYPE,
      body: JSON.stringify({ global: { random: [{ probability: 2, fault: { type: 'reset' } }] } }),
    });
    assert.equal(bad.status, 400);
    await raw(emu.url, {
      method: 'PUT',
      path: '/__emulator/faults',
      headers: JSON_TYPE,
      body: '{}',
    });
  });

  test('createEmulatorAdmin refuses a URL that is not http(s)', () => {
    assert.throws(() => createEmulatorAdmin('ftp://x'), { argument: 'url' });
    assert.throws(() => createEmulatorAdmin('not a url'), { argument: 'url' });
  });
});
