// Test-side tools that are independent of the code under test: assertions are decoded and
// verified with plain node:crypto, so a bug in our signing cannot hide behind a matching bug
// in our verification.
import assert from 'node:assert/strict';
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  verify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Seed 001's private JWK, exactly as the user posted it (with kid, alg and use). */
export const SEED_001_JWK_TEXT = readFileSync(join(fixtures, 'seed-001-private.jwk.json'), 'utf8');
export const SEED_001_JWK = JSON.parse(SEED_001_JWK_TEXT) as JsonWebKey & { kid: string };

export interface DecodedAssertion {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * Checks the compact JWS's signature with `publicKey` (RS256 = RSASSA-PKCS1-v1_5 over
 * SHA-256 of `header.payload`) and returns the decoded parts.
 */
export function verifyAssertion(jws: string, publicKey: KeyObject | JsonWebKey): DecodedAssertion {
  const parts = jws.split('.');
  assert.equal(parts.length, 3, 'a compact JWS has three parts');
  const [h, p, s] = parts as [string, string, string];
  for (const part of parts)
    assert.match(part, /^[A-Za-z0-9_-]+$/, 'each part is unpadded base64url');
  const key =
    (publicKey as { type?: unknown }).type === 'public' ||
    (publicKey as { type?: unknown }).type === 'private'
      ? (publicKey as KeyObject)
      : createPublicKey({ key: publicKey as JsonWebKey, format: 'jwk' });
  const ok = verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
  assert.ok(ok, 'the signature verifies with the public key');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}

/** The public half of a private JWK, for node:crypto. */
export function publicOf(jwk: JsonWebKey): JsonWebKey {
  return { kty: jwk.kty!, n: jwk.n!, e: jwk.e! };
}

/**
 * A fixed RSA-2048 test key pair ('a' or 'b'), read from fixtures: generating 2048-bit keys
 * costs up to a second each on a busy 2-core machine.
 */
export function fixturePair(name: 'a' | 'b'): { privateKey: KeyObject; publicKey: KeyObject } {
  const privateKey = createPrivateKey(
    readFileSync(join(fixtures, `test-rsa-2048-${name}.pem`), 'utf8'),
  );
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A fresh, small RSA key pair (fast to make) for tests that need a key nothing has cached. */
export function smallRsaPair(modulusLength: 512 | 1024): {
  privateKey: KeyObject;
  publicKey: KeyObject;
} {
  return generateKeyPairSync('rsa', { modulusLength });
}

let uniqueCount = 0;
/**
 * The same key text with a different amount of trailing whitespace (which import ignores):
 * a text the key cache has not seen yet, without generating a new key.
 */
export function uniqueText(text: string): string {
  uniqueCount++;
  return text + ' '.repeat(uniqueCount);
}

/** Every way of writing out one RSA private key that users hold. */
export function keyForms(privateKey: KeyObject): {
  jwk: JsonWebKey;
  pkcs8Pem: string;
  pkcs1Pem: string;
} {
  return {
    jwk: privateKey.export({ format: 'jwk' }),
    pkcs8Pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    pkcs1Pem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  };
}
