// The rulebook (/work/shared/EMULATOR.md) as data: each rule is a request and the answer
// LINE gives to it. Two drivers run this one table: raw HTTP (conformance.test.ts) and our
// ChannelAccessTokenClient (conformance-client.test.ts).
import assert from 'node:assert/strict';
import type { OperationName } from '../../src/client/types.js';
import type { Emulator } from '../../src/emulator/index.js';
import {
  ASSERTION_TYPE,
  AUD,
  FakeClock,
  claims,
  getQuery,
  header,
  postForm,
  publicPem,
  rsaKey,
  signJws,
  start,
  type RsaKey,
} from './helpers.js';

export const ROUTES: Record<OperationName, { method: 'GET' | 'POST'; path: string }> = {
  issueShortLived: { method: 'POST', path: '/v2/oauth/accessToken' },
  verify: { method: 'POST', path: '/v2/oauth/verify' },
  revoke: { method: 'POST', path: '/v2/oauth/revoke' },
  issueV21: { method: 'POST', path: '/oauth2/v2.1/token' },
  verifyV21: { method: 'GET', path: '/oauth2/v2.1/verify' },
  revokeV21: { method: 'POST', path: '/oauth2/v2.1/revoke' },
  getValidKeyIds: { method: 'GET', path: '/oauth2/v2.1/tokens/kid' },
  issueStateless: { method: 'POST', path: '/oauth2/v3/token' },
};

/** Sends an operation's parameters the way the spec says (form body or query). */
export function send(url: string, op: OperationName, params: Record<string, string>) {
  const route = ROUTES[op];
  return route.method === 'GET'
    ? getQuery(url, route.path, params)
    : postForm(url, route.path, params);
}

type Channel = { id: string; secret: string };

/** Everything the rules refer to, built over raw HTTP on a fresh emulator. */
export interface Fixture {
  emu: Emulator;
  clock: FakeClock;
  a: Channel;
  b: Channel;
  full: Channel;
  keyA: RsaKey;
  keyB: RsaKey;
  stranger: RsaKey;
  kidA: string;
  kidB: string;
  kidFull: string;
  kidDeleted: string;
  t: Record<
    | 'v21Live'
    | 'v21Expired'
    | 'v21Revoked'
    | 'v21ToRevoke'
    | 'v21OfB'
    | 'shortLive'
    | 'shortExpired'
    | 'shortRevoked'
    | 'shortToRevoke'
    | 'longLived'
    | 'statelessLive'
    | 'statelessToRevoke',
    string
  >;
  /** An assertion for channel A (or `as`), signed now; overrides tweak header and claims. */
  assertion(o?: {
    as?: Channel;
    kid?: string;
    key?: RsaKey;
    header?: Record<string, unknown>;
    claims?: Record<string, unknown>;
  }): string;
}

const expectOk = async (p: Promise<{ status: number; json: unknown }>) => {
  const r = await p;
  assert.equal(r.status, 200, `fixture request failed: ${JSON.stringify(r.json)}`);
  return r.json as Record<string, string>;
};

export async function buildFixture(): Promise<Fixture> {
  const a = { id: '1000000001', secret: 'a'.repeat(32) };
  const b = { id: '1000000002', secret: 'b'.repeat(32) };
  const full = { id: '1000000003', secret: 'c'.repeat(32) };
  const { emu, clock } = await start({ channels: [a, b, full] });
  const keyA = rsaKey('A');
  const keyB = rsaKey('B');
  const stranger = rsaKey('stranger');
  const { kid: kidA } = await emu.admin.registerKey(a.id, keyA.publicJwk);
  const { kid: kidB } = await emu.admin.registerKey(b.id, keyB.publicJwk);
  const { kid: kidFull } = await emu.admin.registerKey(full.id, keyB.publicJwk);
  const { kid: kidDeleted } = await emu.admin.registerKey(a.id, keyA.publicJwk);
  await emu.admin.deleteKey(a.id, kidDeleted);

  const f = {
    emu,
    clock,
    a,
    b,
    full,
    keyA,
    keyB,
    stranger,
    kidA,
    kidB,
    kidFull,
    kidDeleted,
  } as Fixture;
  f.assertion = (o = {}) => {
    const as = o.as ?? a;
    const kid = o.kid ?? (as === b ? kidB : as === full ? kidFull : kidA);
    const key = o.key ?? (as === a ? keyA : keyB);
    return signJws(header(kid, o.header), claims(as.id, clock.sec, o.claims), key.privateKey);
  };
  const v21 = async (as: Channel = a, tokenExp = 86_400) =>
    (
      await expectOk(
        send(f.emu.url, 'issueV21', {
          grant_type: 'client_credentials',
          client_assertion_type: ASSERTION_TYPE,
          client_assertion: f.assertion({ as, claims: { token_exp: tokenExp } }),
        }),
      )
    )['access_token']!;
  const short = async () =>
    (
      await expectOk(
        send(emu.url, 'issueShortLived', {
          grant_type: 'client_credentials',
          client_id: a.id,
          client_secret: a.secret,
        }),
      )
    )['access_token']!;
  const stateless = async () =>
    (
      await expectOk(
        send(emu.url, 'issueStateless', {
          grant_type: 'client_credentials',
          client_id: a.id,
          client_secret: a.secret,
        }),
      )
    )['access_token']!;

  // Tokens that must be expired by the time the rules run, then 30 days and a minute later...
  const v21Expired = await v21(a, 60);
  const shortExpired = await short();
  clock.advance(2_592_000 + 60);
  // ...the live ones.
  const t = {
    v21Expired,
    shortExpired,
    v21Live: await v21(),
    v21Revoked: await v21(),
    v21ToRevoke: await v21(),
    v21OfB: await v21(b),
    shortLive: await short(),
    shortRevoked: await short(),
    shortToRevoke: await short(),
    longLived: (await emu.admin.issueLongLived(a.id)).accessToken,
    statelessLive: await stateless(),
    statelessToRevoke: await stateless(),
  };
  await expectOk(
    send(emu.url, 'revokeV21', {
      client_id: a.id,
      client_secret: a.secret,
      access_token: t.v21Revoked,
    }),
  );
  await expectOk(send(emu.url, 'revoke', { access_token: t.shortRevoked }));
  for (let i = 0; i < 30; i++) await v21(full);
  f.t = t;
  return f;
}

/** What a rule expects: an exact error body, or a 200 checked by a function (undefined body: empty). */
export type Expectation =
  | { status: number; body: Record<string, string> }
  | { status: 200; empty: true }
  | { status: 200; check: (body: Record<string, unknown>, f: Fixture) => void | Promise<void> };

export interface Rule {
  /** What the rule says, and where EMULATOR.md says it. */
  name: string;
  op: OperationName;
  params: (f: Fixture) => Record<string, string>;
  expect: Expectation;
  /** Set when our client cannot send this request at all (it refuses it before sending). */
  rawOnly?: string;
}

const err = (error: string, error_description?: string) =>
  error_description === undefined ? { error } : { error, error_description };
const BAD_PARAMS = err('invalid_request', 'some parameters missed or invalid');
const JWS_SHAPE = /^eyJhbGciOiJIUzI1NiJ9\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const shortIssue = (id: string, secret: string) => () => ({
  grant_type: 'client_credentials',
  client_id: id,
  client_secret: secret,
});
const v21Issue = (assertion: (f: Fixture) => string) => (f: Fixture) => ({
  grant_type: 'client_credentials',
  client_assertion_type: ASSERTION_TYPE,
  client_assertion: assertion(f),
});
const token = (pick: (f: Fixture) => string) => (f: Fixture) => ({ access_token: pick(f) });
const revokeV21 = (pick: (f: Fixture) => string, secret?: string, id?: string) => (f: Fixture) => ({
  client_id: id ?? f.a.id,
  client_secret: secret ?? f.a.secret,
  access_token: pick(f),
});
const kids = (assertion: (f: Fixture) => string) => (f: Fixture) => ({
  client_assertion_type: ASSERTION_TYPE,
  client_assertion: assertion(f),
});

const issuedV21 = (expiresIn: number) => (body: Record<string, unknown>) => {
  assert.deepEqual(Object.keys(body).sort(), [
    'access_token',
    'expires_in',
    'key_id',
    'token_type',
  ]);
  assert.match(String(body['access_token']), JWS_SHAPE);
  assert.equal(body['token_type'], 'Bearer');
  assert.equal(body['expires_in'], expiresIn);
  assert.match(String(body['key_id']), /^[A-Za-z0-9_-]{22}$/);
};
const verified =
  (clientId: (f: Fixture) => string, expiresIn: number | ((n: number) => boolean)) =>
  (body: Record<string, unknown>, f: Fixture) => {
    assert.equal(body['client_id'], clientId(f));
    if (typeof expiresIn === 'number') assert.equal(body['expires_in'], expiresIn);
    else
      assert.ok(
        expiresIn(body['expires_in'] as number),
        `expires_in ${String(body['expires_in'])}`,
      );
    assert.equal(typeof body['scope'], 'string');
  };

/** Assertion rules, each sent to the v2.1 issue (and the first few to the other two users). */
export const ASSERTION_RULES: Array<{
  name: string;
  assertion: (f: Fixture) => string;
  expect: Expectation;
}> = [
  // Step 1: a compact JWS with three parts.
  {
    name: 'two parts only',
    assertion: (f) => f.assertion().split('.').slice(0, 2).join('.'),
    expect: { status: 400, body: err('invalid_client', 'client_assertion is not a JWS') },
  },
  {
    name: 'four parts',
    assertion: (f) => `${f.assertion()}.x`,
    expect: { status: 400, body: err('invalid_client', 'client_assertion is not a JWS') },
  },
  {
    name: 'three parts but not base64url',
    assertion: () => '!!!.@@@.###',
    expect: { status: 400, body: err('invalid_client', 'client_assertion is not a JWS') },
  },
  {
    name: 'header is not JSON',
    assertion: (f) =>
      `${Buffer.from('not json').toString('base64url')}.${f.assertion().split('.')[1]}.sig`,
    expect: { status: 400, body: err('invalid_client', 'client_assertion is not a JWS') },
  },
  {
    name: 'payload is not JSON',
    assertion: (f) => {
      const [h, , s] = f.assertion().split('.');
      return `${h}.${Buffer.from('[1,2').toString('base64url')}.${s}`;
    },
    expect: { status: 400, body: err('invalid_client', 'client_assertion is not a JWS') },
  },
  {
    name: 'JWS JSON serialization instead of compact',
    assertion: (f) => {
      const [p, q, s] = f.assertion().split('.');
      return JSON.stringify({ protected: p, payload: q, signature: s });
    },
    expect: { status: 400, body: err('invalid_client', 'client_assertion is not a JWS') },
  },
  // Step 2: the kid is registered. [doc]
  {
    name: 'unknown kid',
    assertion: (f) => f.assertion({ kid: '00000000-0000-4000-8000-000000000000' }),
    expect: {
      status: 404,
      body: { message: 'Cannot find channel key that satisfies the conditions' },
    },
  },
  {
    name: 'no kid in the header',
    assertion: (f) => f.assertion({ header: { kid: undefined } }),
    expect: {
      status: 404,
      body: { message: 'Cannot find channel key that satisfies the conditions' },
    },
  },
  {
    name: 'kid of a deleted key',
    assertion: (f) => f.assertion({ kid: f.kidDeleted }),
    expect: {
      status: 404,
      body: { message: 'Cannot find channel key that satisfies the conditions' },
    },
  },
  {
    name: 'unknown kid is reported before a bad alg (order)',
    assertion: (f) =>
      signJws(
        { alg: 'none', typ: 'JWT', kid: 'nope' },
        claims(f.a.id, f.clock.sec),
        f.keyA.privateKey,
      ),
    expect: {
      status: 404,
      body: { message: 'Cannot find channel key that satisfies the conditions' },
    },
  },
  // Step 3: RS256 only, typ JWT, a signature that verifies.
  {
    name: 'alg none, no signature',
    assertion: (f) =>
      signJws(
        { alg: 'none', typ: 'JWT', kid: f.kidA },
        claims(f.a.id, f.clock.sec),
        f.keyA.privateKey,
      ),
    expect: { status: 400, body: err('invalid_client', 'Invalid alg') },
  },
  {
    name: 'HS256 keyed with the registered public key',
    assertion: (f) =>
      signJws(
        { alg: 'HS256', typ: 'JWT', kid: f.kidA },
        claims(f.a.id, f.clock.sec),
        publicPem(f.keyA),
      ),
    expect: { status: 400, body: err('invalid_client', 'Invalid alg') },
  },
  {
    name: 'RS512 with the right key',
    assertion: (f) => f.assertion({ header: { alg: 'RS512' } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid alg') },
  },
  {
    name: 'PS256 with the right key',
    assertion: (f) => f.assertion({ header: { alg: 'PS256' } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid alg') },
  },
  {
    name: 'typ missing',
    assertion: (f) => f.assertion({ header: { typ: undefined } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid typ') },
  },
  {
    name: 'typ "at+jwt"',
    assertion: (f) => f.assertion({ header: { typ: 'at+jwt' } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid typ') },
  },
  {
    name: "another key's signature under a registered kid",
    assertion: (f) => f.assertion({ key: f.stranger }),
    expect: { status: 400, body: err('invalid_client', 'Invalid signature') },
  },
  {
    name: 'swapped payload (signature of another payload)',
    assertion: (f) => {
      const [h, p] = f.assertion({ claims: { token_exp: 1 } }).split('.');
      const s = f.assertion().split('.')[2];
      return `${h}.${p}.${s}`;
    },
    expect: { status: 400, body: err('invalid_client', 'Invalid signature') },
  },
  {
    name: 'signature truncated',
    assertion: (f) => f.assertion().slice(0, -10),
    expect: { status: 400, body: err('invalid_client', 'Invalid signature') },
  },
  {
    name: 'unknown critical header extension',
    assertion: (f) => f.assertion({ header: { crit: ['x-line'], 'x-line': 1 } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid signature') },
  },
  {
    name: 'a bad signature is reported before a wrong iss (order)',
    assertion: (f) => f.assertion({ key: f.stranger, claims: { iss: f.b.id } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid signature') },
  },
  // Step 4: iss == sub == the key's channel. [doc]
  {
    name: 'iss of another channel',
    assertion: (f) => f.assertion({ claims: { iss: f.b.id } }),
    expect: { status: 400, body: err('invalid_client', 'iss and clientId of key do not match') },
  },
  {
    name: 'sub of another channel',
    assertion: (f) => f.assertion({ claims: { sub: f.b.id } }),
    expect: { status: 400, body: err('invalid_client', 'iss and clientId of key do not match') },
  },
  {
    name: "iss and sub of another channel with this channel's key",
    assertion: (f) => f.assertion({ claims: { iss: f.b.id, sub: f.b.id } }),
    expect: { status: 400, body: err('invalid_client', 'iss and clientId of key do not match') },
  },
  {
    name: 'iss as a number',
    assertion: (f) => f.assertion({ claims: { iss: Number(f.a.id), sub: Number(f.a.id) } }),
    expect: { status: 400, body: err('invalid_client', 'iss and clientId of key do not match') },
  },
  {
    name: 'iss missing',
    assertion: (f) => f.assertion({ claims: { iss: undefined } }),
    expect: { status: 400, body: err('invalid_client', 'iss and clientId of key do not match') },
  },
  // Step 5: aud, trailing slash included.
  {
    name: 'aud without the trailing slash',
    assertion: (f) => f.assertion({ claims: { aud: 'https://api.line.me' } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid aud') },
  },
  {
    name: 'aud as an array',
    assertion: (f) => f.assertion({ claims: { aud: [AUD] } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid aud') },
  },
  {
    name: 'aud of another host',
    assertion: (f) => f.assertion({ claims: { aud: 'https://api.line-apps.com/' } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid aud') },
  },
  {
    name: 'a wrong aud is reported before a bad exp (order)',
    assertion: (f) => f.assertion({ claims: { aud: 'x', exp: 1 } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid aud') },
  },
  // Step 6: exp in the future, at most 30 minutes ahead. [doc]
  {
    name: 'exp in the past',
    assertion: (f) => f.assertion({ claims: { exp: f.clock.sec - 1 } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid exp') },
  },
  {
    name: 'exp equal to now',
    assertion: (f) => f.assertion({ claims: { exp: f.clock.sec } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid exp') },
  },
  {
    name: 'exp 30 min + 1 s ahead',
    assertion: (f) => f.assertion({ claims: { exp: f.clock.sec + 1801 } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid exp') },
  },
  {
    name: 'exp missing',
    assertion: (f) => f.assertion({ claims: { exp: undefined } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid exp') },
  },
  {
    name: 'exp as a float',
    assertion: (f) => f.assertion({ claims: { exp: f.clock.sec + 60.5 } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid exp') },
  },
  {
    name: 'exp as a non-numeric string',
    assertion: (f) => f.assertion({ claims: { exp: 'soon' } }),
    expect: { status: 400, body: err('invalid_client', 'Invalid exp') },
  },
  // token_exp, checked after the assertion itself.
  {
    name: 'token_exp 0',
    assertion: (f) => f.assertion({ claims: { token_exp: 0 } }),
    expect: { status: 400, body: err('invalid_request', 'Invalid token_exp') },
  },
  {
    name: 'token_exp 30 days + 1 s',
    assertion: (f) => f.assertion({ claims: { token_exp: 2_592_001 } }),
    expect: { status: 400, body: err('invalid_request', 'Invalid token_exp') },
  },
  {
    name: 'token_exp missing (LINE: required to issue)',
    assertion: (f) => f.assertion({ claims: { token_exp: undefined } }),
    expect: { status: 400, body: err('invalid_request', 'Invalid token_exp') },
  },
  {
    name: 'token_exp negative',
    assertion: (f) => f.assertion({ claims: { token_exp: -5 } }),
    expect: { status: 400, body: err('invalid_request', 'Invalid token_exp') },
  },
  {
    name: 'token_exp as a float',
    assertion: (f) => f.assertion({ claims: { token_exp: 3600.5 } }),
    expect: { status: 400, body: err('invalid_request', 'Invalid token_exp') },
  },
  // Accepted forms.
  {
    name: 'exp exactly 30 minutes ahead is accepted',
    assertion: (f) => f.assertion({ claims: { exp: f.clock.sec + 1800, token_exp: 1 } }),
    expect: { status: 200, check: issuedV21(1) },
  },
  {
    name: 'exp as a numeric string is accepted [doc]',
    assertion: (f) => f.assertion({ claims: { exp: String(f.clock.sec + 60), token_exp: 120 } }),
    expect: { status: 200, check: issuedV21(120) },
  },
  {
    name: 'token_exp as a numeric string is accepted [doc]',
    assertion: (f) => f.assertion({ claims: { token_exp: '3600' } }),
    expect: { status: 200, check: issuedV21(3600) },
  },
  {
    name: 'token_exp of exactly 30 days is accepted',
    assertion: (f) => f.assertion({ claims: { token_exp: 2_592_000 } }),
    expect: { status: 200, check: issuedV21(2_592_000) },
  },
  {
    name: 'iat and nbf in the future are not checked (the rulebook has no such rule)',
    assertion: (f) =>
      f.assertion({ claims: { iat: f.clock.sec + 600, nbf: f.clock.sec + 600, token_exp: 10 } }),
    expect: { status: 200, check: issuedV21(10) },
  },
];

export const RULES: Rule[] = [
  // Short-lived issue. [doc]
  {
    name: 'short-lived issue: 200 with the token, 30 days, Bearer',
    op: 'issueShortLived',
    params: (f) => shortIssue(f.a.id, f.a.secret)(),
    expect: {
      status: 200,
      check: (b) => {
        assert.deepEqual(Object.keys(b).sort(), ['access_token', 'expires_in', 'token_type']);
        assert.equal(b['expires_in'], 2_592_000);
        assert.equal(b['token_type'], 'Bearer');
        assert.ok(String(b['access_token']).length >= 100);
      },
    },
  },
  {
    name: 'short-lived issue: unknown channel',
    op: 'issueShortLived',
    params: () => shortIssue('1999999999', 'x'.repeat(32))(),
    expect: { status: 400, body: err('invalid_client', 'invalid client_id') },
  },
  {
    name: 'short-lived issue: wrong secret',
    op: 'issueShortLived',
    params: (f) => shortIssue(f.a.id, f.b.secret)(),
    expect: { status: 400, body: err('invalid_client', 'invalid client_secret') },
  },
  {
    name: 'short-lived issue: missing client_secret',
    op: 'issueShortLived',
    params: (f) => ({ grant_type: 'client_credentials', client_id: f.a.id }),
    expect: { status: 400, body: BAD_PARAMS },
    rawOnly: 'the client always sends every parameter',
  },
  {
    name: 'short-lived issue: wrong grant_type',
    op: 'issueShortLived',
    params: (f) => ({ ...shortIssue(f.a.id, f.a.secret)(), grant_type: 'password' }),
    expect: { status: 400, body: BAD_PARAMS },
    rawOnly: 'the client always sends client_credentials',
  },
  // v2 verify.
  {
    name: 'v2 verify: live short-lived token, full lifetime left on a frozen clock',
    op: 'verify',
    params: token((f) => f.t.shortLive),
    expect: { status: 200, check: verified((f) => f.a.id, 2_592_000) },
  },
  {
    name: 'v2 verify: long-lived token',
    op: 'verify',
    params: token((f) => f.t.longLived),
    expect: {
      status: 200,
      check: verified(
        (f) => f.a.id,
        (n) => n > 3_000_000_000,
      ),
    },
  },
  {
    name: 'v2 verify: unknown token',
    op: 'verify',
    params: token(() => 'A'.repeat(172)),
    expect: { status: 400, body: err('invalid_request', 'access_token invalid') },
  },
  {
    name: 'v2 verify: expired token',
    op: 'verify',
    params: token((f) => f.t.shortExpired),
    expect: { status: 400, body: err('invalid_request', 'access_token invalid') },
  },
  {
    name: 'v2 verify: revoked token',
    op: 'verify',
    params: token((f) => f.t.shortRevoked),
    expect: { status: 400, body: err('invalid_request', 'access_token invalid') },
  },
  {
    name: 'v2 verify: malformed token',
    op: 'verify',
    params: token(() => 'not a token!'),
    expect: { status: 400, body: err('invalid_request', 'access_token in invalid format') },
    rawOnly: 'the client refuses whitespace in a token',
  },
  {
    name: 'v2 verify: malformed token (no whitespace)',
    op: 'verify',
    params: token(() => 'token<script>'),
    expect: { status: 400, body: err('invalid_request', 'access_token in invalid format') },
  },
  // v2 revoke. [doc]
  {
    name: 'v2 revoke: live token, 200 with an empty body',
    op: 'revoke',
    params: token((f) => f.t.shortToRevoke),
    expect: { status: 200, empty: true },
  },
  {
    name: 'v2 revoke: unknown token, 200 all the same',
    op: 'revoke',
    params: token(() => 'B'.repeat(172)),
    expect: { status: 200, empty: true },
  },
  {
    name: 'v2 revoke: stateless token, 200 and no effect',
    op: 'revoke',
    params: token((f) => f.t.statelessToRevoke),
    expect: { status: 200, empty: true },
  },
  {
    name: 'v2 revoke: missing token',
    op: 'revoke',
    params: () => ({}),
    expect: { status: 400, body: err('invalid_request') },
    rawOnly: 'the client requires accessToken',
  },
  // v2.1 issue. [doc]
  {
    name: 'v2.1 issue: 200 with a JWS-shaped token, token_exp and a 22-char key_id',
    op: 'issueV21',
    params: v21Issue((f) => f.assertion({ claims: { token_exp: 7200 } })),
    expect: { status: 200, check: issuedV21(7200) },
  },
  {
    name: 'v2.1 issue: the 31st live token is refused',
    op: 'issueV21',
    params: v21Issue((f) => f.assertion({ as: f.full })),
    expect: {
      status: 400,
      body: { message: 'The maximum number of access tokens has already been issued' },
    },
  },
  {
    name: 'v2.1 issue: wrong client_assertion_type',
    op: 'issueV21',
    params: (f) => ({ ...v21Issue((g) => g.assertion())(f), client_assertion_type: 'urn:x' }),
    expect: { status: 400, body: BAD_PARAMS },
    rawOnly: 'the client always sends the jwt-bearer type',
  },
  // v2.1 verify. [doc]
  {
    name: 'v2.1 verify: live token',
    op: 'verifyV21',
    params: token((f) => f.t.v21Live),
    expect: { status: 200, check: verified((f) => f.a.id, 86_400) },
  },
  {
    name: 'v2.1 verify: not a JWS',
    op: 'verifyV21',
    params: token((f) => f.t.shortLive),
    expect: { status: 400, body: err('invalid_request', 'The access token not JWS') },
  },
  {
    name: 'v2.1 verify: expired',
    op: 'verifyV21',
    params: token((f) => f.t.v21Expired),
    expect: { status: 400, body: err('invalid_request', 'The access token expired') },
  },
  {
    name: 'v2.1 verify: revoked',
    op: 'verifyV21',
    params: token((f) => f.t.v21Revoked),
    expect: { status: 400, body: err('invalid_request', 'The access token revoked') },
  },
  {
    name: 'v2.1 verify: unknown JWS',
    op: 'verifyV21',
    params: token((f) => f.assertion()),
    expect: { status: 400, body: err('invalid_request', 'The access token invalid') },
  },
  // v2.1 revoke. [doc]
  {
    name: 'v2.1 revoke: live token, 200 with an empty body',
    op: 'revokeV21',
    params: revokeV21((f) => f.t.v21ToRevoke),
    expect: { status: 200, empty: true },
  },
  {
    name: 'v2.1 revoke: unknown token, 200',
    op: 'revokeV21',
    params: revokeV21((f) => f.assertion()),
    expect: { status: 200, empty: true },
  },
  {
    name: 'v2.1 revoke: expired token, 200',
    op: 'revokeV21',
    params: revokeV21((f) => f.t.v21Expired),
    expect: { status: 200, empty: true },
  },
  {
    name: 'v2.1 revoke: already revoked token, 200',
    op: 'revokeV21',
    params: revokeV21((f) => f.t.v21Revoked),
    expect: { status: 200, empty: true },
  },
  {
    name: "v2.1 revoke: another channel's token, 200 and no effect",
    op: 'revokeV21',
    params: revokeV21((f) => f.t.v21OfB),
    expect: { status: 200, empty: true },
  },
  {
    name: 'v2.1 revoke: not a JWS',
    op: 'revokeV21',
    params: revokeV21((f) => f.t.shortLive),
    expect: { status: 400, body: err('invalid_request', 'The access token not JWS') },
  },
  {
    name: 'v2.1 revoke: undecodable JWS',
    op: 'revokeV21',
    params: revokeV21(() => 'abc.def.ghi'),
    expect: { status: 400, body: err('invalid_request', 'The access token malformed') },
  },
  {
    name: 'v2.1 revoke: wrong secret',
    op: 'revokeV21',
    params: (f) => revokeV21((g) => g.t.v21Live, f.b.secret)(f),
    expect: { status: 400, body: err('invalid_client', 'invalid client_secret') },
  },
  {
    name: 'v2.1 revoke: unknown channel',
    op: 'revokeV21',
    params: (f) => revokeV21((g) => g.t.v21Live, f.a.secret, '1999999999')(f),
    expect: { status: 400, body: err('invalid_client', 'invalid client_id') },
  },
  // Key ids. [doc]
  {
    name: "key ids: every live v2.1 key_id of the channel, and only the channel's",
    op: 'getValidKeyIds',
    params: kids((f) => f.assertion({ as: f.b, claims: { token_exp: undefined } })),
    expect: {
      status: 200,
      check: async (b, f) => {
        const live = await f.emu.admin.listTokens(f.b.id);
        assert.deepEqual(
          b['kids'],
          live.filter((t) => t.family === 'v2.1').map((t) => t.keyId),
        );
        assert.equal((b['kids'] as string[]).length, 1);
      },
    },
  },
  {
    name: 'key ids: 30 on a full channel',
    op: 'getValidKeyIds',
    params: kids((f) => f.assertion({ as: f.full })),
    expect: { status: 200, check: (b) => assert.equal((b['kids'] as string[]).length, 30) },
  },
  {
    name: 'key ids: a bad assertion is refused like on issue',
    op: 'getValidKeyIds',
    params: kids((f) => f.assertion({ claims: { aud: 'https://api.line.me' } })),
    expect: { status: 400, body: err('invalid_client', 'Invalid aud') },
  },
  {
    name: 'key ids: an unknown kid is 404',
    op: 'getValidKeyIds',
    params: kids((f) => f.assertion({ kid: 'nope' })),
    expect: {
      status: 404,
      body: { message: 'Cannot find channel key that satisfies the conditions' },
    },
  },
  // Stateless issue. [doc]
  {
    name: 'stateless issue by secret: 200, 900 s',
    op: 'issueStateless',
    params: (f) => shortIssue(f.a.id, f.a.secret)(),
    expect: {
      status: 200,
      check: (b) => {
        assert.deepEqual(Object.keys(b).sort(), ['access_token', 'expires_in', 'token_type']);
        assert.equal(b['expires_in'], 900);
        assert.equal(b['token_type'], 'Bearer');
      },
    },
  },
  {
    name: 'stateless issue by assertion: 200, 900 s',
    op: 'issueStateless',
    params: v21Issue((f) => f.assertion({ claims: { token_exp: undefined } })),
    expect: { status: 200, check: (b) => assert.equal(b['expires_in'], 900) },
  },
  {
    name: 'stateless issue: wrong secret',
    op: 'issueStateless',
    params: (f) => shortIssue(f.a.id, f.b.secret)(),
    expect: { status: 400, body: err('invalid_request', "Invalid 'client_credentials'.") },
  },
  {
    name: 'stateless issue: unknown channel',
    op: 'issueStateless',
    params: () => shortIssue('1999999999', 'x')(),
    expect: { status: 400, body: err('invalid_request', "Invalid 'client_credentials'.") },
  },
  {
    name: 'stateless issue: empty assertion fields count as absent',
    op: 'issueStateless',
    params: (f) => ({
      ...shortIssue(f.a.id, f.a.secret)(),
      client_assertion_type: '',
      client_assertion: '',
    }),
    expect: { status: 200, check: (b) => assert.equal(b['expires_in'], 900) },
    rawOnly: 'the client never sends empty fields',
  },
  {
    name: 'stateless issue: a bad assertion is refused like on issue',
    op: 'issueStateless',
    params: v21Issue((f) => f.assertion({ claims: { exp: f.clock.sec + 3600 } })),
    expect: { status: 400, body: err('invalid_client', 'Invalid exp') },
  },
  // Every assertion rule, on the v2.1 issue.
  ...ASSERTION_RULES.map((r): Rule => ({
    name: `assertion: ${r.name}`,
    op: 'issueV21',
    params: v21Issue(r.assertion),
    expect: r.expect,
  })),
];
