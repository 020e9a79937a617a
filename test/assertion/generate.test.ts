import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify, type JsonWebKey } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  generateKeyPair,
  importPrivateKey,
  InvalidKeyError,
  publicJwkForConsole,
  signAssertion,
} from '../../src/index.js';
import {
  keyForms,
  fixturePair,
  SEED_001_JWK,
  SEED_001_JWK_TEXT,
  verifyAssertion,
} from './helpers.js';

describe('generateKeyPair', () => {
  let generated: Awaited<ReturnType<typeof generateKeyPair>>;
  before(async () => {
    generated = await generateKeyPair();
  });

  test('makes an RSA-2048 pair: private JWK with alg/use and no kid, Console JWK with exactly kty, alg, use, e, n', async () => {
    const { privateJwk, publicJwk } = generated;
    assert.deepEqual(Object.keys(privateJwk).sort(), [
      'alg',
      'd',
      'dp',
      'dq',
      'e',
      'kty',
      'n',
      'p',
      'q',
      'qi',
      'use',
    ]);
    assert.equal(privateJwk.kty, 'RSA');
    assert.equal(privateJwk.alg, 'RS256');
    assert.equal(privateJwk.use, 'sig');
    assert.deepEqual(Object.keys(publicJwk), ['kty', 'alg', 'use', 'e', 'n']);
    assert.deepEqual(publicJwk, {
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      e: privateJwk.e,
      n: privateJwk.n,
    });
    const keyObject = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
    assert.equal(keyObject.asymmetricKeyDetails?.modulusLength, 2048);
  });

  test('the two halves belong together (checked with node:crypto) and the private one signs assertions', async () => {
    const { privateJwk, publicJwk } = generated;
    const data = Buffer.from('probe');
    const signature = sign(
      'sha256',
      data,
      createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' }),
    );
    assert.ok(
      verify('sha256', data, createPublicKey({ key: { ...publicJwk }, format: 'jwk' }), signature),
    );
    const jws = await signAssertion({ channelId: '1', kid: 'k', privateKey: privateJwk });
    verifyAssertion(jws, { ...publicJwk });
  });

  test('two calls make two different keys', async () => {
    const another = await generateKeyPair();
    assert.notEqual(another.publicJwk.n, generated.publicJwk.n);
    assert.notEqual(another.privateJwk.d, generated.privateJwk.d);
  });
});

describe('publicJwkForConsole', () => {
  test('gives the same Console JWK for every form of one key', async () => {
    const pair = fixturePair('a');
    const { jwk, pkcs8Pem, pkcs1Pem } = keyForms(pair.privateKey);
    const expected = { kty: 'RSA', alg: 'RS256', use: 'sig', e: jwk.e, n: jwk.n };
    for (const input of [
      jwk,
      JSON.stringify(jwk),
      pkcs8Pem,
      pkcs1Pem,
      pair.privateKey,
      await importPrivateKey(pkcs1Pem),
    ]) {
      const publicJwk = await publicJwkForConsole(input);
      assert.deepEqual(publicJwk, expected);
      assert.deepEqual(Object.keys(publicJwk), ['kty', 'alg', 'use', 'e', 'n']);
    }
  });

  test("drops seed 001's kid, which the Console would refuse", async () => {
    const publicJwk = await publicJwkForConsole(SEED_001_JWK_TEXT);
    assert.deepEqual(publicJwk, {
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      e: SEED_001_JWK.e,
      n: SEED_001_JWK.n,
    });
    assert.equal('kid' in publicJwk, false);
  });

  test('explains that a non-extractable CryptoKey cannot give its public half', async () => {
    const { privateKey } = await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      false,
      ['sign', 'verify'],
    );
    await assert.rejects(publicJwkForConsole(privateKey), (err: unknown) => {
      assert.ok(err instanceof InvalidKeyError);
      assert.match(err.message, /non-extractable CryptoKey/);
      return true;
    });
  });
});
