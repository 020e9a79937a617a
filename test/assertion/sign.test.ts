import assert from 'node:assert/strict';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { before, describe, test } from 'node:test';
import {
  createAssertionSigner,
  importPrivateKey,
  InvalidArgumentError,
  InvalidKeyError,
  signAssertion,
} from '../../src/index.js';
import { DEFAULT_ASSERTION_LIFETIME_SEC } from '../../src/assertion/constants.js';
import { MAX_ASSERTION_LIFETIME_SEC, MAX_TOKEN_EXP_SEC } from '../../src/line/facts.js';
import {
  keyForms,
  publicOf,
  fixturePair,
  SEED_001_JWK,
  SEED_001_JWK_TEXT,
  verifyAssertion,
} from './helpers.js';

const CHANNEL = '1573163733';
const KID = '1dab2f4f-b73f-47a3-b99d-1730e22b9544';
const NOW_MS = 1_700_000_000_789;
const NOW_SEC = 1_700_000_000;
const now = () => NOW_MS;

let pair: { privateKey: KeyObject; publicKey: KeyObject };
let forms: ReturnType<typeof keyForms>;
let snippet: { privateKey: JsonWebKey; publicKey: JsonWebKey };
let webCryptoPair: CryptoKeyPair;

before(async () => {
  pair = fixturePair('a');
  forms = keyForms(pair.privateKey);
  // LINE's guide has users run a WebCrypto snippet in a browser (generateKey, then
  // exportKey('jwk') of both halves) and keep both JWKs; these keys go through the same
  // WebCrypto export, so they carry its alg, ext and key_ops members.
  const b = fixturePair('b');
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  webCryptoPair = {
    privateKey: await crypto.subtle.importKey(
      'jwk',
      b.privateKey.export({ format: 'jwk' }),
      algorithm,
      true,
      ['sign'],
    ),
    publicKey: await crypto.subtle.importKey(
      'jwk',
      b.publicKey.export({ format: 'jwk' }),
      algorithm,
      true,
      ['verify'],
    ),
  };
  snippet = {
    privateKey: (await crypto.subtle.exportKey('jwk', webCryptoPair.privateKey)) as JsonWebKey,
    publicKey: (await crypto.subtle.exportKey('jwk', webCryptoPair.publicKey)) as JsonWebKey,
  };
});

function expectedClaims(tokenExpSec?: number): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    iss: CHANNEL,
    sub: CHANNEL,
    aud: 'https://api.line.me/',
    exp: NOW_SEC + DEFAULT_ASSERTION_LIFETIME_SEC,
  };
  if (tokenExpSec !== undefined) claims['token_exp'] = tokenExpSec;
  return claims;
}

describe('signAssertion with every accepted key form', () => {
  // Each case: a key input and the public key that must verify what it signs.
  const cases: Array<[string, () => Promise<unknown> | unknown, () => JsonWebKey | KeyObject]> = [
    [
      'seed 001 private JWK object (kid, alg, use)',
      () => SEED_001_JWK,
      () => publicOf(SEED_001_JWK),
    ],
    ['seed 001 private JWK as JSON text', () => SEED_001_JWK_TEXT, () => publicOf(SEED_001_JWK)],
    ['bare JWK from node:crypto', () => forms.jwk, () => pair.publicKey],
    ['PKCS#8 PEM', () => forms.pkcs8Pem, () => pair.publicKey],
    ['PKCS#1 PEM (BEGIN RSA PRIVATE KEY)', () => forms.pkcs1Pem, () => pair.publicKey],
    [
      'PKCS#1 PEM with CRLF line ends and blank lines around',
      () => `\r\n${forms.pkcs1Pem.replace(/\n/g, '\r\n')}\r\n\r\n`,
      () => pair.publicKey,
    ],
    [
      'PEM file holding the public key before the private one',
      () => `${pair.publicKey.export({ type: 'spki', format: 'pem' }) as string}${forms.pkcs8Pem}`,
      () => pair.publicKey,
    ],
    ['Node KeyObject', () => pair.privateKey, () => pair.publicKey],
    ['browser snippet {privateKey, publicKey} object', () => snippet, () => snippet.publicKey],
    [
      'browser snippet as JSON text',
      () => JSON.stringify(snippet, null, 2),
      () => snippet.publicKey,
    ],
    ['extractable CryptoKey', () => webCryptoPair.privateKey, () => snippet.publicKey],
    ['WebCrypto CryptoKeyPair', () => webCryptoPair, () => snippet.publicKey],
    [
      'non-extractable CryptoKey',
      async () => {
        const jwk = await crypto.subtle.exportKey('jwk', webCryptoPair.privateKey);
        return crypto.subtle.importKey(
          'jwk',
          jwk,
          { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          false,
          ['sign'],
        );
      },
      () => snippet.publicKey,
    ],
    ['imported AssertionKey handle', () => importPrivateKey(forms.pkcs8Pem), () => pair.publicKey],
  ];

  for (const [name, input, publicKey] of cases) {
    test(`${name}: verifies with the public key, header and claims exact`, async () => {
      const privateKey = (await input()) as object;
      const jws = await signAssertion({
        channelId: CHANNEL,
        kid: KID,
        privateKey,
        tokenExpSec: 86_400,
        now,
      });
      const { header, payload } = verifyAssertion(jws, publicKey());
      assert.deepEqual(header, { alg: 'RS256', typ: 'JWT', kid: KID });
      assert.deepEqual(Object.keys(header), ['alg', 'typ', 'kid']);
      assert.deepEqual(payload, expectedClaims(86_400));
    });
  }
});

describe('claims', () => {
  test('token_exp is left out when tokenExpSec is not given', async () => {
    const jws = await signAssertion({
      channelId: CHANNEL,
      kid: KID,
      privateKey: SEED_001_JWK,
      now,
    });
    const { payload } = verifyAssertion(jws, publicOf(SEED_001_JWK));
    assert.deepEqual(payload, expectedClaims());
    assert.equal('token_exp' in payload, false);
  });

  test('the limits themselves are accepted: tokenExpSec 1 and 2592000, lifetimeSec 1 and 1800', async () => {
    for (const [tokenExpSec, lifetimeSec] of [
      [1, 1],
      [MAX_TOKEN_EXP_SEC, MAX_ASSERTION_LIFETIME_SEC],
    ] as const) {
      const jws = await signAssertion({
        channelId: CHANNEL,
        kid: KID,
        privateKey: SEED_001_JWK,
        tokenExpSec,
        lifetimeSec,
        now,
      });
      const { payload } = verifyAssertion(jws, publicOf(SEED_001_JWK));
      assert.equal(payload['token_exp'], tokenExpSec);
      assert.equal(payload['exp'], NOW_SEC + lifetimeSec);
    }
  });

  test('exp and token_exp are JSON integers (not strings), exp floors the milliseconds', async () => {
    const jws = await signAssertion({
      channelId: CHANNEL,
      kid: KID,
      privateKey: SEED_001_JWK,
      tokenExpSec: 60,
      now: () => 1_000_999,
    });
    const { payload } = verifyAssertion(jws, publicOf(SEED_001_JWK));
    assert.equal(payload['exp'], 1_000 + DEFAULT_ASSERTION_LIFETIME_SEC);
    assert.equal(typeof payload['exp'], 'number');
    assert.equal(typeof payload['token_exp'], 'number');
  });

  test('the default Date.now clock puts exp about five minutes ahead', async () => {
    const before = Math.floor(Date.now() / 1000);
    const jws = await signAssertion({ channelId: CHANNEL, kid: KID, privateKey: SEED_001_JWK });
    const after = Math.floor(Date.now() / 1000);
    const exp = verifyAssertion(jws, publicOf(SEED_001_JWK)).payload['exp'] as number;
    assert.ok(exp >= before + 300 && exp <= after + 300, 'exp is now + 300 s');
  });
});

describe('createAssertionSigner', () => {
  test('reads the clock on every sign: a virtual clock moves exp', async () => {
    let clock = NOW_MS;
    const signer = createAssertionSigner({
      channelId: CHANNEL,
      kid: KID,
      privateKey: SEED_001_JWK,
      now: () => clock,
    });
    const first = verifyAssertion(await signer.sign(), publicOf(SEED_001_JWK)).payload;
    clock += 3_600_000;
    const second = verifyAssertion(await signer.sign(), publicOf(SEED_001_JWK)).payload;
    assert.equal(second['exp'], (first['exp'] as number) + 3_600);
  });

  test('overrides: a number replaces tokenExpSec, null leaves token_exp out, undefined keeps it', async () => {
    const signer = createAssertionSigner({
      channelId: CHANNEL,
      kid: KID,
      privateKey: SEED_001_JWK,
      tokenExpSec: 900,
      now,
    });
    const decode = async (o?: { tokenExpSec?: number | null }) =>
      verifyAssertion(await signer.sign(o), publicOf(SEED_001_JWK)).payload;
    assert.deepEqual(await decode(), expectedClaims(900));
    assert.deepEqual(await decode({}), expectedClaims(900));
    assert.deepEqual(await decode({ tokenExpSec: 60 }), expectedClaims(60));
    assert.deepEqual(await decode({ tokenExpSec: null }), expectedClaims());
  });

  test('an out-of-range override is refused before signing', async () => {
    const signer = createAssertionSigner({
      channelId: CHANNEL,
      kid: KID,
      privateKey: SEED_001_JWK,
      now,
    });
    await assert.rejects(signer.sign({ tokenExpSec: 0 }), (err: unknown) => {
      assert.ok(err instanceof InvalidArgumentError);
      assert.equal(err.argument, 'tokenExpSec');
      return true;
    });
  });

  test('bad options throw at construction, synchronously; signAssertion rejects instead of throwing', async () => {
    assert.throws(
      () =>
        createAssertionSigner({
          channelId: CHANNEL,
          kid: KID,
          privateKey: SEED_001_JWK,
          lifetimeSec: 1801,
        }),
      InvalidArgumentError,
    );
    const pending = signAssertion({ channelId: '', kid: KID, privateKey: SEED_001_JWK });
    assert.ok(pending instanceof Promise);
    await assert.rejects(pending, InvalidArgumentError);
  });

  test('a bad key is reported by sign(), as an InvalidKeyError, every time it is tried', async () => {
    const signer = createAssertionSigner({
      channelId: CHANNEL,
      kid: KID,
      privateKey: { kty: 'EC' },
      now,
    });
    await assert.rejects(signer.sign(), InvalidKeyError);
    await assert.rejects(signer.sign(), InvalidKeyError);
  });

  test('a clock that returns NaN is refused rather than signing exp: null', async () => {
    const signer = createAssertionSigner({
      channelId: CHANNEL,
      kid: KID,
      privateKey: SEED_001_JWK,
      now: () => NaN,
    });
    await assert.rejects(signer.sign(), InvalidArgumentError);
  });

  test('two signers sharing an imported key both sign for their own channel and kid', async () => {
    const key = await importPrivateKey(SEED_001_JWK_TEXT);
    const a = createAssertionSigner({ channelId: '1', kid: 'kid-a', privateKey: key, now });
    const b = createAssertionSigner({ channelId: '2', kid: 'kid-b', privateKey: key, now });
    const da = verifyAssertion(await a.sign(), publicOf(SEED_001_JWK));
    const db = verifyAssertion(await b.sign(), publicOf(SEED_001_JWK));
    assert.deepEqual([da.header['kid'], da.payload['iss'], da.payload['sub']], ['kid-a', '1', '1']);
    assert.deepEqual([db.header['kid'], db.payload['iss'], db.payload['sub']], ['kid-b', '2', '2']);
  });
});
