// A table of bad keys, durations and ids: each must produce its documented error class and
// message, be refused before anything is signed, and never show key material or the bad
// string value in the message, JSON.stringify or util.inspect.
import assert from 'node:assert/strict';
import {
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { inspect } from 'node:util';
import { before, test } from 'node:test';
import {
  createAssertionSigner,
  InvalidArgumentError,
  InvalidKeyError,
  signAssertion,
} from '../../src/index.js';
import { keyCacheCounters } from '../../src/assertion/internal/cache.js';
import { fixturePair, keyForms, SEED_001_JWK, smallRsaPair } from './helpers.js';

type ErrorClass = typeof InvalidKeyError | typeof InvalidArgumentError;

interface Case {
  name: string;
  /** The options (or overrides) to sign with. */
  input: () => unknown;
  error: ErrorClass;
  message: RegExp;
  /** For InvalidArgumentError: the option it must name. */
  argument?: string;
  /** Strings that must appear in no output of the error. */
  secrets: () => string[];
  /** Sign through a valid signer with these overrides instead of signing `input` as options. */
  viaOverride?: boolean;
}

const CHANNEL = '1573163733';
const KID = 'b5e6f0e4-5f1c-4f43-9d4e-0c7b2a3f1e11';
/** Looks like a channel secret: what a user might paste into the wrong option. */
const SECRET_LIKE = '8f2c9d41a7be40c3b1e5f0a6d9c27e18';

let rsa: KeyObject;
let rsaJwk: JsonWebKey;
let rsaPkcs8: string;
let rsaPkcs1: string;
let other: JsonWebKey;
let small: JsonWebKey;
let ecJwk: JsonWebKey;
let ecPkcs8: string;
let ecSec1: string;
let ed25519: KeyObject;
let rsaPss: KeyObject;
let hmacKey: CryptoKey;
let publicCryptoKey: CryptoKey;

before(async () => {
  rsa = fixturePair('a').privateKey;
  ({ jwk: rsaJwk, pkcs8Pem: rsaPkcs8, pkcs1Pem: rsaPkcs1 } = keyForms(rsa));
  other = fixturePair('b').privateKey.export({ format: 'jwk' });
  small = smallRsaPair(1024).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  ecJwk = ec.export({ format: 'jwk' });
  ecPkcs8 = ec.export({ type: 'pkcs8', format: 'pem' }) as string;
  ecSec1 = ec.export({ type: 'sec1', format: 'pem' }) as string;
  ed25519 = generateKeyPairSync('ed25519').privateKey;
  // The family is refused before the size is looked at, so a small (fast) key will do.
  rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).privateKey;
  hmacKey = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
  publicCryptoKey = await crypto.subtle.importKey(
    'jwk',
    fixturePair('a').publicKey.export({ format: 'jwk' }),
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    true,
    ['verify'],
  );
});

/** Pieces of key material that must never be shown. */
const dOf = (jwk: JsonWebKey) => [jwk.d!.slice(0, 24), jwk.d!.slice(-24)];
const pemLine = (pem: string) => [
  pem
    .split('\n')
    .filter((line) => !line.includes(':') && !line.startsWith('-----'))
    .reduce((a, b) => (b.length > a.length ? b : a), ''),
];
const withKey = (privateKey: unknown) => ({ channelId: CHANNEL, kid: KID, privateKey });

const keyCases: Case[] = [
  {
    name: 'EC private JWK',
    input: () => withKey(ecJwk),
    error: InvalidKeyError,
    message:
      /is an EC key, but LINE assertion keys are RSA \(2048 bits or more, signed RS256\): make an RSA-2048 key with `line-token keygen`/,
    secrets: () => [ecJwk.d!],
  },
  {
    name: 'EC PKCS#8 PEM',
    input: () => withKey(ecPkcs8),
    error: InvalidKeyError,
    message: /is an EC key, but LINE assertion keys are RSA/,
    secrets: () => pemLine(ecPkcs8),
  },
  {
    name: 'EC SEC1 PEM (BEGIN EC PRIVATE KEY)',
    input: () => withKey(ecSec1),
    error: InvalidKeyError,
    message: /is an EC key/,
    secrets: () => [ecSec1.split('\n')[2]!],
  },
  {
    name: 'Ed25519 KeyObject',
    input: () => withKey(ed25519),
    error: InvalidKeyError,
    message: /is an OKP \(Ed25519\) key/,
    secrets: () => [],
  },
  {
    name: 'Ed25519 JWK',
    input: () => withKey(ed25519.export({ format: 'jwk' })),
    error: InvalidKeyError,
    message: /is an OKP \(Ed25519\) key/,
    secrets: () => [ed25519.export({ format: 'jwk' }).d!],
  },
  {
    name: 'symmetric oct JWK',
    input: () => withKey({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0' }),
    error: InvalidKeyError,
    message: /is a symmetric \("oct"\) key/,
    secrets: () => ['c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0'],
  },
  {
    name: 'secret KeyObject',
    input: () => withKey(createSecretKey(Buffer.from('0123456789abcdef0123456789abcdef'))),
    error: InvalidKeyError,
    message: /is a symmetric key/,
    secrets: () => ['0123456789abcdef'],
  },
  {
    name: 'HMAC CryptoKey',
    input: () => withKey(hmacKey),
    error: InvalidKeyError,
    message: /is a symmetric \(HMAC\) key/,
    secrets: () => [],
  },
  {
    name: 'RSA-PSS KeyObject',
    input: () => withKey(rsaPss),
    error: InvalidKeyError,
    message: /is an RSA-PSS key/,
    secrets: () => [],
  },
  {
    name: 'RSA-1024 JWK',
    input: () => withKey(small),
    error: InvalidKeyError,
    message: /is a 1024-bit RSA key, but LINE needs at least 2048 bits/,
    secrets: () => dOf(small),
  },
  {
    name: 'public JWK (no d)',
    input: () => withKey({ kty: 'RSA', n: rsaJwk.n, e: rsaJwk.e }),
    error: InvalidKeyError,
    message: /is a public key \(a JWK without "d"\), but signing needs the private key/,
    secrets: () => [],
  },
  {
    name: 'public key PEM (BEGIN PUBLIC KEY)',
    input: () => withKey(createPublicKey(rsa).export({ type: 'spki', format: 'pem' })),
    error: InvalidKeyError,
    message: /is a public key \(PEM "PUBLIC KEY"\)/,
    secrets: () => [],
  },
  {
    name: 'public CryptoKey',
    input: () => withKey(publicCryptoKey),
    error: InvalidKeyError,
    message: /is a public key \(a public CryptoKey\)/,
    secrets: () => [],
  },
  {
    name: 'snippet with only publicKey',
    input: () => withKey({ publicKey: { kty: 'RSA', n: rsaJwk.n, e: rsaJwk.e } }),
    error: InvalidKeyError,
    message: /is a public key \(a \{"publicKey"\} without "privateKey"\)/,
    secrets: () => [],
  },
  {
    name: 'snippet whose halves are two different keys',
    input: () => withKey({ privateKey: rsaJwk, publicKey: { kty: 'RSA', n: other.n, e: other.e } }),
    error: InvalidKeyError,
    message: /privateKey and publicKey are not the two halves of one key pair/,
    secrets: () => dOf(rsaJwk),
  },
  {
    name: 'encrypted PKCS#8 PEM',
    input: () => withKey(encrypted('pkcs8')),
    error: InvalidKeyError,
    message: /is an encrypted PEM.*decrypt it first, e\.g\. `openssl pkcs8 -topk8 -nocrypt/,
    secrets: () => [...pemLine(encrypted('pkcs8')), 'hunter2-passphrase'],
  },
  {
    name: 'encrypted PKCS#1 PEM (Proc-Type: 4,ENCRYPTED)',
    input: () => withKey(encrypted('pkcs1')),
    error: InvalidKeyError,
    message: /is an encrypted PEM/,
    secrets: () => [...pemLine(encrypted('pkcs1'))],
  },
  {
    name: 'malformed JSON (truncated copy of a JWK)',
    input: () => withKey(JSON.stringify(rsaJwk).slice(0, 900)),
    error: InvalidKeyError,
    message: /looks like JSON but does not parse.*truncated copy/,
    secrets: () => dOf(rsaJwk).slice(0, 1),
  },
  {
    name: 'malformed JSON (single quotes)',
    input: () => withKey(`{'kty': 'RSA', 'd': '${SECRET_LIKE}'}`),
    error: InvalidKeyError,
    message: /does not parse \(at position 1\)/,
    secrets: () => [SECRET_LIKE],
  },
  {
    name: 'malformed PEM (no END line)',
    input: () => withKey(rsaPkcs8.split('-----END')[0]!),
    error: InvalidKeyError,
    message: /not a well-formed PEM: it has a BEGIN line without a matching END line/,
    secrets: () => pemLine(rsaPkcs8),
  },
  {
    name: 'malformed PEM (body is not base64)',
    input: () => withKey(rsaPkcs8.replace(/\n(.)/, '\n*$1')),
    error: InvalidKeyError,
    message: /not a well-formed PEM: its body is not valid base64/,
    secrets: () => pemLine(rsaPkcs8),
  },
  {
    name: 'malformed PEM (a line lost from the middle)',
    input: () => withKey(dropLine(rsaPkcs1, 6)),
    error: InvalidKeyError,
    message:
      /not a well-formed PEM: its body is not a valid RSA PRIVATE KEY structure|could not be imported/,
    secrets: () => pemLine(rsaPkcs1),
  },
  {
    name: 'OpenSSH private key',
    input: () =>
      withKey(
        '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n',
      ),
    error: InvalidKeyError,
    message: /is an OpenSSH private key: convert it to PKCS#8 first \(`ssh-keygen -p -m PKCS8/,
    secrets: () => ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmU'],
  },
  {
    name: 'base64 body without its PEM lines',
    input: () => withKey(rsaPkcs8.split('\n').slice(1, -2).join('\n')),
    error: InvalidKeyError,
    message: /looks like base64 without its PEM armour/,
    secrets: () => pemLine(rsaPkcs8),
  },
  {
    name: 'empty string',
    input: () => withKey(''),
    error: InvalidKeyError,
    message: /is an empty string: pass a private JWK/,
    secrets: () => [],
  },
  {
    name: 'a path instead of the file contents',
    input: () => withKey('./keys/assertion-private.json'),
    error: InvalidKeyError,
    message: /looks like a file path, not key material: read the file first/,
    secrets: () => [],
  },
  {
    name: 'JWK whose n comes from another key (a mixed copy)',
    input: () => withKey({ ...rsaJwk, n: other.n }),
    error: InvalidKeyError,
    message: /is inconsistent: n is not p × q, so the copy is damaged or mixes two keys/,
    secrets: () => [...dOf(rsaJwk), ...dOf(other)],
  },
  {
    // Node imports this and even signs right (OpenSSL falls back to d), but the copy is
    // damaged and other WebCrypto engines refuse or mis-sign it: the consistency check says so.
    name: 'JWK whose dp belongs to another key (a damaged copy that WebCrypto imports)',
    input: () => withKey({ ...rsaJwk, dp: other.dp }),
    error: InvalidKeyError,
    message: /is inconsistent: dp or dq does not match d/,
    secrets: () => [...dOf(rsaJwk), ...dOf(other)],
  },
  {
    name: 'JWK whose e was edited (Node imports it and signs what no public key verifies)',
    input: () => withKey({ ...rsaJwk, e: 'AQAD' }),
    error: InvalidKeyError,
    message: /is inconsistent: d is not the inverse of e/,
    secrets: () => dOf(rsaJwk),
  },
  {
    name: 'PKCS#1 PEM whose modulus comes from another key',
    input: () => withKey(mixedPkcs1Pem()),
    error: InvalidKeyError,
    message: /privateKey PEM is inconsistent: n is not p × q/,
    secrets: () => pemLine(mixedPkcs1Pem()),
  },
  {
    name: 'JWK without the CRT members',
    input: () => withKey({ kty: 'RSA', n: rsaJwk.n, e: rsaJwk.e, d: rsaJwk.d }),
    error: InvalidKeyError,
    message: /lacks p, q, dp, dq, qi/,
    secrets: () => dOf(rsaJwk),
  },
  {
    name: 'JWK declared for RS512',
    input: () => withKey({ ...SEED_001_JWK, alg: 'RS512' }),
    error: InvalidKeyError,
    message: /says "alg": "RS512", but LINE assertions are signed with RS256/,
    secrets: () => dOf(SEED_001_JWK),
  },
  {
    name: 'JWK Set instead of one JWK',
    input: () => withKey({ keys: [rsaJwk] }),
    error: InvalidKeyError,
    message: /is a JWK Set/,
    secrets: () => dOf(rsaJwk),
  },
  {
    name: 'a number',
    input: () => withKey(42),
    error: InvalidKeyError,
    message: /privateKey must be a private JWK .* got a number/,
    secrets: () => [],
  },
];

const encryptedCache = new Map<string, string>();
function encrypted(type: 'pkcs1' | 'pkcs8'): string {
  let pem = encryptedCache.get(type);
  if (!pem) {
    pem = rsa.export({
      type,
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'hunter2-passphrase',
    }) as string;
    encryptedCache.set(type, pem);
  }
  return pem;
}
function dropLine(pem: string, index: number): string {
  const lines = pem.split('\n');
  lines.splice(index, 1);
  return lines.join('\n');
}

const valid = () => ({ channelId: CHANNEL, kid: KID, privateKey: SEED_001_JWK });
const argCase = (
  name: string,
  patch: Record<string, unknown>,
  argument: string,
  message: RegExp,
  secrets: string[] = [],
): Case => ({
  name,
  input: () => ({ ...valid(), ...patch }),
  error: InvalidArgumentError,
  argument,
  message,
  secrets: () => secrets,
});

const argumentCases: Case[] = [
  argCase(
    'tokenExpSec 0',
    { tokenExpSec: 0 },
    'tokenExpSec',
    /^"tokenExpSec" option must be an integer number of seconds from 1 to 2592000 \(30 days, LINE's limit\) \(got 0\)$/,
  ),
  argCase(
    'tokenExpSec 2592001',
    { tokenExpSec: 2_592_001 },
    'tokenExpSec',
    /from 1 to 2592000 .* \(got 2592001\)$/,
  ),
  argCase(
    'tokenExpSec 1.5',
    { tokenExpSec: 1.5 },
    'tokenExpSec',
    /must be an integer .* \(got 1\.5\)$/,
  ),
  argCase('tokenExpSec NaN', { tokenExpSec: NaN }, 'tokenExpSec', /\(got NaN\)$/),
  argCase(
    'tokenExpSec as a string',
    { tokenExpSec: '3600' },
    'tokenExpSec',
    /\(got the string "3600"\)$/,
  ),
  argCase(
    'lifetimeSec 0',
    { lifetimeSec: 0 },
    'lifetimeSec',
    /^"lifetimeSec" option must be an integer number of seconds from 1 to 1800 \(LINE refuses an assertion that expires more than 30 minutes ahead\) \(got 0\)$/,
  ),
  argCase(
    'lifetimeSec 1801',
    { lifetimeSec: 1801 },
    'lifetimeSec',
    /from 1 to 1800 .* \(got 1801\)$/,
  ),
  argCase('lifetimeSec Infinity', { lifetimeSec: Infinity }, 'lifetimeSec', /\(got Infinity\)$/),
  argCase(
    'empty channelId',
    { channelId: '' },
    'channelId',
    /^"channelId" option must be a LINE channel id, a non-empty string of digits .* \(got an empty string\)$/,
  ),
  argCase(
    'non-numeric channelId (a secret pasted by mistake)',
    { channelId: SECRET_LIKE },
    'channelId',
    /non-empty string of digits .* \(got a string\)$/,
    [SECRET_LIKE],
  ),
  argCase(
    'channelId as a number',
    { channelId: 1573163733 },
    'channelId',
    /\(got 1573163733\); pass it as a string, e\.g\. String\(id\)$/,
  ),
  argCase(
    'channelId with a trailing newline',
    { channelId: `${CHANNEL}\n` },
    'channelId',
    /\(got a string\)$/,
  ),
  argCase(
    'empty kid',
    { kid: '' },
    'kid',
    /^"kid" option must be the key id the LINE Developers Console showed .* \(got an empty string\)$/,
  ),
  argCase('blank kid', { kid: '   ' }, 'kid', /"kid" option must be .* \(got a string\)$/),
  argCase('kid with a control character', { kid: `${KID}\r` }, 'kid', /without control characters/),
  argCase(
    'now that is not a function',
    { now: 1_700_000_000_000 },
    'now',
    /^"now" option must be a function \(got 1700000000000\)$/,
  ),
  argCase(
    'a misspelt option',
    { tokenExpSecs: 3600 },
    'tokenExpSecs',
    /^"tokenExpSecs" is not an assertion option; did you mean "tokenExpSec"\?$/,
  ),
  argCase(
    'no privateKey',
    { privateKey: undefined },
    'privateKey',
    /^"privateKey" option is required/,
  ),
  {
    name: 'options that are not an object',
    input: () => null,
    error: InvalidArgumentError,
    argument: 'options',
    message: /^assertion options must be an object \(got null\)$/,
    secrets: () => [],
  },
  {
    name: 'sign() override misspelt',
    input: () => ({ tokenExpSecs: null }),
    viaOverride: true,
    error: InvalidArgumentError,
    argument: 'tokenExpSecs',
    message: /^"tokenExpSecs" is not a sign\(\) option; did you mean "tokenExpSec"\?$/,
    secrets: () => [],
  },
  {
    name: 'sign() override tokenExpSec 2592001',
    input: () => ({ tokenExpSec: 2_592_001 }),
    viaOverride: true,
    error: InvalidArgumentError,
    argument: 'tokenExpSec',
    message: /from 1 to 2592000 .* \(got 2592001\)$/,
    secrets: () => [],
  },
];

test('the table has at least 15 bad keys and 15 bad durations and ids', () => {
  assert.ok(keyCases.length >= 15, `${keyCases.length} key cases`);
  assert.ok(argumentCases.length >= 15, `${argumentCases.length} argument cases`);
});

for (const c of [...keyCases, ...argumentCases]) {
  test(`refused: ${c.name}`, async () => {
    const importsBefore = keyCacheCounters.imports;
    const attempt = c.viaOverride
      ? createAssertionSigner(valid()).sign(c.input() as { tokenExpSec: number })
      : signAssertion(c.input() as Parameters<typeof signAssertion>[0]);
    const err = await attempt.then(
      () => assert.fail('expected a rejection, got a signed assertion'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof c.error, `expected ${c.error.name}, got ${inspect(err)}`);
    assert.equal(err.name, c.error.name);
    assert.equal(
      err.code,
      c.error === InvalidKeyError ? 'ERR_LINE_INVALID_KEY' : 'ERR_LINE_INVALID_ARGUMENT',
    );
    assert.match(err.message, c.message);
    if (c.argument !== undefined) {
      assert.ok(err instanceof InvalidArgumentError);
      assert.equal(err.argument, c.argument);
      // Options are refused before any key is touched, let alone anything signed.
      if (!c.viaOverride) assert.equal(keyCacheCounters.imports, importsBefore);
    }
    const outputs = [
      err.message,
      JSON.stringify(err),
      inspect(err),
      inspect(err, { depth: 10, showHidden: true }),
    ];
    for (const secret of c.secrets()) {
      assert.ok(secret.length >= 8, 'a secret probe is long enough to mean something');
      for (const output of outputs)
        assert.ok(!output.includes(secret), `secret shown in: ${output}`);
    }
  });
}

/**
 * A PKCS#1 PEM whose n is another key's, encoded by hand: Node 20 and 22 build one from a
 * mixed JWK without checking, but Node 24's OpenSSL refuses that JWK, and users hold such
 * PEMs whatever made them.
 */
function mixedPkcs1Pem(): string {
  const members = [{ ...rsaJwk, n: other.n! }].flatMap((k) =>
    [k.n, k.e, k.d, k.p, k.q, k.dp, k.dq, k.qi].map((m) => Buffer.from(m!, 'base64url')),
  );
  const der = derSequence([derInteger(Buffer.from([0])), ...members.map(derInteger)]);
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN RSA PRIVATE KEY-----\n${body}-----END RSA PRIVATE KEY-----\n`;
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

// An unsigned big-endian number as a DER INTEGER: a leading zero keeps it positive.
function derInteger(magnitude: Buffer): Buffer {
  const value = magnitude[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), magnitude]) : magnitude;
  return Buffer.concat([Buffer.from([0x02]), derLength(value.length), value]);
}

function derSequence(parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
}
