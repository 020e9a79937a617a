// The rulebook (docs/line-rules.md) as data: each rule is a request and the answer
// LINE gives to it. Two drivers run this one table: raw HTTP (conformance.test.ts) and our
// ChannelAccessTokenClient (conformance-client.test.ts).
import assert from 'node:assert/strict';
import { ASSERTION_RULES, err, issuedV21 } from './assertion-rules.js';
import type { Fixture, Rule } from './fixture.js';
import { ASSERTION_TYPE } from './helpers.js';

export { ASSERTION_RULES } from './assertion-rules.js';
export {
  ROUTES,
  buildFixture,
  send,
  type Expectation,
  type Fixture,
  type Rule,
} from './fixture.js';

const BAD_PARAMS = err('invalid_request', 'some parameters missed or invalid');
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
