// The fixture the rulebook table runs against: a fresh emulator on a fake clock with three
// channels, registered keys and tokens in every state (live, expired, revoked), built over
// raw HTTP. Also the route of each operation and the shape of a rule.
import assert from 'node:assert/strict';
import type { OperationName } from '../../src/client/types.js';
import type { Emulator } from '../../src/emulator/index.js';
import {
  ASSERTION_TYPE,
  FakeClock,
  claims,
  getQuery,
  header,
  postForm,
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
  /** What the rule says, and where docs/line-rules.md says it. */
  name: string;
  op: OperationName;
  params: (f: Fixture) => Record<string, string>;
  expect: Expectation;
  /** Set when our client cannot send this request at all (it refuses it before sending). */
  rawOnly?: string;
}
