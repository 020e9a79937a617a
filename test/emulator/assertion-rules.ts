// The forged and out-of-rule JWT assertions (docs/line-rules.md, "The JWT assertion", checked in
// this order"), each with LINE's answer. Signed by node:crypto in helpers.ts, not our signer.
import assert from 'node:assert/strict';
import { AUD, claims, publicPem, signJws } from './helpers.js';
import type { Expectation, Fixture } from './fixture.js';

/** An OAuth-style error body. */
export const err = (error: string, error_description?: string) =>
  error_description === undefined ? { error } : { error, error_description };
export const JWS_SHAPE = /^eyJhbGciOiJIUzI1NiJ9\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Checks a v2.1 issue answer: JWS-shaped token, Bearer, `expires_in` = token_exp, 22-char key_id. */
export const issuedV21 = (expiresIn: number) => (body: Record<string, unknown>) => {
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
