// The rules docs/line-rules.md gained in round two, each over raw HTTP (node:http requests,
// assertions signed by node:crypto): v2 revoke refuses invalid formats, tokens are opaque,
// one rate bucket per endpoint, `scope` as LINE documents it, legacy kids.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { EmulatorCore } from '../../src/emulator/internal/core.js';
import type { Emulator } from '../../src/emulator/index.js';
import { DEFAULT_RATE_PER_SEC } from '../../src/emulator/rate-limit.js';
import { createEmulatorServer } from '../../src/emulator/internal/server.js';
import {
  ASSERTION_TYPE,
  T0,
  claims,
  getQuery,
  header,
  postForm,
  raw,
  rsaKey,
  signJws,
  start,
  type FakeClock,
} from './helpers.js';
import { closeServer, defer } from '../fixtures.js';

const CH = { id: '1200000001', secret: 'c'.repeat(32) };
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const key = rsaKey('round-two');
let emu: Emulator;
let clock: FakeClock;
let kid: string;

const issueV21 = () =>
  postForm(emu.url, '/oauth2/v2.1/token', {
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: signJws(header(kid), claims(CH.id, clock.sec), key.privateKey),
  });
const issueShort = () =>
  postForm(emu.url, '/v2/oauth/accessToken', {
    grant_type: 'client_credentials',
    client_id: CH.id,
    client_secret: CH.secret,
  });
const issueStateless = () =>
  postForm(emu.url, '/oauth2/v3/token', {
    grant_type: 'client_credentials',
    client_id: CH.id,
    client_secret: CH.secret,
  });
const tokenOf = (r: { json: unknown }) => (r.json as { access_token: string }).access_token;
const verify = (token: string) => postForm(emu.url, '/v2/oauth/verify', { access_token: token });
const INVALID_REQUEST = { error: 'invalid_request' };

describe('round two of the rulebook, over raw HTTP', () => {
  before(async () => {
    ({ emu, clock } = await start({ channels: [CH] }));
  });
  beforeEach(async () => {
    await emu.admin.reset();
    ({ kid } = await emu.admin.registerKey(CH.id, key.publicJwk));
  });
  after(() => emu.close());

  describe('v2 revoke refuses a token in an invalid format', () => {
    test('an unencoded short-lived token (its + read as a space): 400 invalid_request, and it stays live', async () => {
      let token = '';
      // A short-lived token holds a '+' nearly always; take one that does.
      while (!token.includes('+')) token = tokenOf(await issueShort());
      const r = await raw(emu.url, {
        method: 'POST',
        path: '/v2/oauth/revoke',
        headers: FORM,
        body: `access_token=${token}`, // not URL-encoded: the mistake LINE answers with 400
      });
      assert.equal(r.status, 400);
      assert.deepEqual(r.json, INVALID_REQUEST);
      assert.equal((await verify(token)).status, 200, 'the token is still live');
      const encoded = await postForm(emu.url, '/v2/oauth/revoke', { access_token: token });
      assert.equal(encoded.status, 200);
      assert.equal((await verify(token)).status, 400, 'encoded, the revoke took effect');
    });

    for (const [name, token] of [
      ['a space', 'abc def'],
      ['a quote', 'abc"def'],
      ['a non-ASCII letter', 'abcdéf'],
      ['a percent sign', 'abc%def'],
      ['2,049 characters', 'a'.repeat(2049)],
    ] as const) {
      test(`a token with ${name}: 400 {"error":"invalid_request"}`, async () => {
        const r = await postForm(emu.url, '/v2/oauth/revoke', { access_token: token });
        assert.equal(r.status, 400);
        assert.deepEqual(r.json, INVALID_REQUEST);
      });
    }

    test('an unknown, well-formed token still gets 200 with an empty body', async () => {
      for (const token of ['A'.repeat(172), 'ab+/cd==', 'eyJhbGciOiJIUzI1NiJ9.AAAA.BBBB']) {
        const r = await postForm(emu.url, '/v2/oauth/revoke', { access_token: token });
        assert.equal(r.status, 200, token);
        assert.equal(r.text, '');
      }
    });
  });

  describe('tokens are opaque', () => {
    test('v2.1 and stateless tokens keep the JWS shape; their payload is not JSON and shows no channel', async () => {
      const tokens = [tokenOf(await issueV21()), tokenOf(await issueStateless())];
      for (const t of tokens) {
        assert.match(t, /^eyJhbGciOiJIUzI1NiJ9\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        const payload = Buffer.from(t.split('.')[1]!, 'base64url');
        assert.throws(() => JSON.parse(payload.toString('utf8')) as unknown, SyntaxError);
        assert.ok(!payload.toString('latin1').includes(CH.id));
      }
      // Same channel, same second: still nothing in common a caller could key on.
      const again = tokenOf(await issueStateless());
      assert.notEqual(again.split('.')[1], tokens[1]!.split('.')[1]);
    });

    test("short-lived tokens keep LINE's base64 alphabet, '+' and '/' included", async () => {
      const all = [];
      for (let i = 0; i < 40; i++) all.push(tokenOf(await issueShort()));
      for (const t of all) assert.match(t, /^[A-Za-z0-9+/]{172}$/);
      assert.ok(all.some((t) => t.includes('+')) && all.some((t) => t.includes('/')));
    });
  });

  describe('scope in verify answers, as LINE documents it', () => {
    test('v2 verify of a short-lived token: "P CM"; v2.1 verify: "profile chat_message.write"', async () => {
      const short = await verify(tokenOf(await issueShort()));
      assert.equal((short.json as { scope: string }).scope, 'P CM');
      const v21 = await getQuery(emu.url, '/oauth2/v2.1/verify', {
        access_token: tokenOf(await issueV21()),
      });
      assert.equal((v21.json as { scope: string }).scope, 'profile chat_message.write');
    });

    test('"not always included": v2 verify of a stateless token has client_id and expires_in only', async () => {
      const r = await verify(tokenOf(await issueStateless()));
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.json as object).sort(), ['client_id', 'expires_in']);
    });
  });

  describe('legacy kids: POST /__emulator/channels/{id}/keys?kid=KID', () => {
    const registerRaw = (body: object, query = '') =>
      raw(emu.url, {
        method: 'POST',
        path: `/__emulator/channels/${CH.id}/keys${query}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const legacyKid = 'a1b2c3d4-0000-4000-8000-000000000001';

    test('registers under the given kid (the JWK may hold that kid) and an assertion with it issues', async () => {
      const older = rsaKey('legacy');
      const r = await registerRaw({ ...older.publicJwk, kid: legacyKid }, `?kid=${legacyKid}`);
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.json, { kid: legacyKid });
      const issued = await postForm(emu.url, '/oauth2/v2.1/token', {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: signJws(header(legacyKid), claims(CH.id, clock.sec), older.privateKey),
      });
      assert.equal(issued.status, 200, issued.text);
    });

    test('refuses a kid that is taken (409), a JWK whose kid differs, and a malformed kid', async () => {
      assert.equal((await registerRaw(rsaKey('legacy').publicJwk, `?kid=${kid}`)).status, 409);
      const differs = await registerRaw(
        { ...rsaKey('legacy').publicJwk, kid: 'other' },
        `?kid=${legacyKid}`,
      );
      assert.equal(differs.status, 400);
      assert.equal((differs.json as { argument: string }).argument, 'publicJwk');
      const bad = await registerRaw(rsaKey('legacy').publicJwk, '?kid=has%20space');
      assert.equal(bad.status, 400);
      assert.equal((bad.json as { argument: string }).argument, 'kid');
    });

    test('without ?kid= the Console behaviour stays: a JWK holding kid is refused, a new UUID is assigned', async () => {
      const refused = await registerRaw({ ...rsaKey('legacy').publicJwk, kid: legacyKid });
      assert.equal(refused.status, 400);
      const fresh = await registerRaw(rsaKey('legacy').publicJwk);
      assert.match(
        (fresh.json as { kid: string }).kid,
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    });
  });
});

describe('one rate-limit bucket per endpoint per channel, over raw HTTP', () => {
  test('verify exhausted for a channel: its other endpoints still answer, and the verify bucket is its own', async (t) => {
    // The rate clock is frozen, so buckets never refill: counts are exact on any machine.
    const core = new EmulatorCore({
      now: () => T0,
      rateLimit: true,
      seed: 1,
      channels: [CH],
      rateClock: () => 0,
    });
    const server = createEmulatorServer(core, undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    defer(t, () => closeServer(server));
    const short = tokenOf(
      await postForm(url, '/v2/oauth/accessToken', {
        grant_type: 'client_credentials',
        client_id: CH.id,
        client_secret: CH.secret,
      }),
    );
    for (let i = 0; i < DEFAULT_RATE_PER_SEC; i++) {
      const r = await postForm(url, '/v2/oauth/verify', { access_token: short });
      assert.equal(r.status, 200, `verify ${i + 1}`);
    }
    const over = await postForm(url, '/v2/oauth/verify', { access_token: short });
    assert.equal(over.status, 429);
    // Other endpoints of the same channel: each its own, still full, bucket.
    const stateless = await postForm(url, '/oauth2/v3/token', {
      grant_type: 'client_credentials',
      client_id: CH.id,
      client_secret: CH.secret,
    });
    assert.equal(stateless.status, 200);
    const revoked = await postForm(url, '/v2/oauth/revoke', { access_token: short });
    assert.equal(revoked.status, 200);
    const info = await raw(url, {
      method: 'GET',
      path: '/v2/bot/info',
      headers: { authorization: `Bearer ${tokenOf(stateless)}` },
    });
    assert.equal(info.status, 200);
  });
});
