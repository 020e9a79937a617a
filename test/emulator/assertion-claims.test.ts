import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt } from 'jose';
import { claimsOf, protectedHeader } from '../../src/emulator/assertion.js';

const b64u = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');
const joseClaims = (jws: string) => {
  try {
    return decodeJwt(jws);
  } catch {
    return undefined;
  }
};

test('assertion claims read exactly as jose reads them, refusals included', () => {
  const object = b64u('{"iss":"1234567890","exp":"1700000000","nested":{"a":[1,2]}}');
  const payloads = [
    object,
    b64u('{"emoji":"😀","kanji":"日本"}'),
    b64u('\ufeff{"bom":true}'),
    b64u(' {"spaced": 1} '),
    b64u('{"__proto__":{"x":1}}'),
    b64u('[1,2,3]'),
    b64u('null'),
    b64u('42'),
    b64u('"text"'),
    b64u('{"a":1'),
    b64u(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])), // bad UTF-8
    b64u(Buffer.from([0xef, 0xbb, 0xbf])),
    '',
    `${object}A`.slice(0, 4 * Math.floor(object.length / 4) + 1), // length 1 mod 4
    `${object}=`,
    `${object.slice(0, 8)} ${object.slice(8)}`,
    `${object.slice(0, 8)}+/${object.slice(8)}`,
    `${object.slice(0, 8)}%${object.slice(8)}`,
    `${object.slice(0, -1)}${object.at(-1) === 'A' ? 'B' : 'A'}`, // other trailing bits
  ];
  for (const payload of payloads) {
    const jws = `eyJhbGciOiJSUzI1NiJ9.${payload}.c2ln`;
    assert.deepEqual(claimsOf(jws), joseClaims(jws), `payload ${JSON.stringify(payload)}`);
  }
  assert.equal(claimsOf(`eyJhbGciOiJSUzI1NiJ9.${b64u('[1]')}.c2ln`), undefined);
  assert.deepEqual(claimsOf(`eyJhbGciOiJSUzI1NiJ9.${object}.c2ln`)?.['iss'], '1234567890');
});

test('protected headers decode as jose decodes them, a huge one too, uncached', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const small = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.e30.sig`;
  assert.deepEqual(protectedHeader(small), { alg: 'RS256', typ: 'JWT', kid: 'k1' });
  // Decoded once and shared: the same frozen object for the same header text.
  assert.equal(protectedHeader(small), protectedHeader(small));
  assert.ok(Object.isFrozen(protectedHeader(small)));
  const huge = `${b64({ alg: 'RS256', kid: 'k'.repeat(4_000) })}.e30.sig`;
  assert.equal(protectedHeader(huge)?.['kid'], 'k'.repeat(4_000));
  // Not kept: two reads give two objects, equal in content.
  assert.notEqual(protectedHeader(huge), protectedHeader(huge));
  assert.equal(protectedHeader('not-base64!.e30.sig'), undefined);
});
