/**
 * Registration of assertion public keys, refusing what the LINE Developers Console refuses:
 * https://developers.line.biz/en/docs/messaging-api/generate-json-web-token/
 * The key is imported once, here, as a node:crypto KeyObject: every assertion then verifies
 * against it synchronously, with no per-request import.
 *
 * @module
 */
import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Jwk as JWK } from '../internal/web-types.js';
import { MIN_RSA_MODULUS_BITS as ASSERTION_KEY_BITS } from '../line/facts.js';
import { adminFailure } from './internal/admin-error.js';

// Members that only a private RSA JWK has: registering one would publish the private key.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

/** A public JWK accepted for registration, stored as it came (minus nothing: `ext` stays). */
export type RegisteredJwk = JWK & { kty: 'RSA'; n: string; e: string };

const refuse = (message: string) => adminFailure(400, 'publicJwk', message);

// Checked with the other admin inputs (internal/admin-input.ts); still exported from here.

/**
 * Checks a public JWK the way the Console does and imports it once to prove it is usable.
 * `legacyKid` is set for an old Console key registered under its own kid: such a JWK may
 * hold `kid`, but only that one. Throws an InvalidArgumentError (HTTP 400 over the admin
 * API) saying what is wrong.
 */
export function validatePublicJwk(
  input: unknown,
  legacyKid?: string,
): {
  jwk: RegisteredJwk;
  key: KeyObject;
} {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw refuse('the public key must be a JWK object');
  }
  const jwk = input as Record<string, unknown>;
  if ('kid' in jwk && legacyKid === undefined) {
    throw refuse(
      'the JWK must not hold "kid": the Console assigns one on registration (an older key ' +
        'that holds its kid: register it with ?kid=KID)',
    );
  }
  if ('kid' in jwk && jwk['kid'] !== legacyKid) {
    throw refuse('the JWK holds a "kid" other than the ?kid= given: drop one of them');
  }
  if (jwk['kty'] !== 'RSA') throw refuse('the JWK must have "kty": "RSA"');
  if (jwk['alg'] !== 'RS256') throw refuse('the JWK must have "alg": "RS256"');
  for (const member of PRIVATE_MEMBERS) {
    if (member in jwk) {
      throw refuse(`the JWK holds the private member "${member}": register the public key only`);
    }
  }
  const use = jwk['use'];
  const keyOps = jwk['key_ops'];
  if (use !== undefined && use !== 'sig') throw refuse('the JWK "use" must be "sig"');
  // LINE: key_ops is ["verify"], "exclude elements other than verify".
  if (
    keyOps !== undefined &&
    !(Array.isArray(keyOps) && keyOps.length === 1 && keyOps[0] === 'verify')
  ) {
    throw refuse('the JWK "key_ops" must be exactly ["verify"]');
  }
  if (use === undefined && keyOps === undefined) {
    throw refuse('the JWK must have "use": "sig" (or "key_ops": ["verify"])');
  }
  if (typeof jwk['n'] !== 'string' || typeof jwk['e'] !== 'string') {
    throw refuse('the JWK must have string "n" and "e" members');
  }
  let key: KeyObject;
  try {
    const { key_ops: _ops, kid: _kid, ...importable } = jwk;
    key = createPublicKey({ key: importable as JsonWebKey, format: 'jwk' });
  } catch (cause) {
    throw adminFailure(
      400,
      'publicJwk',
      `the JWK is not a usable RSA public key (${(cause as Error).message})`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits !== ASSERTION_KEY_BITS) {
    throw refuse(`the RSA modulus must be ${ASSERTION_KEY_BITS} bits, not ${String(bits)}`);
  }
  return { jwk: jwk as RegisteredJwk, key };
}

/** Imports an already validated JWK again (after a restart from the state file). */
export function importRegisteredJwk(jwk: RegisteredJwk): KeyObject {
  const { key_ops: _ops, kid: _kid, ...importable } = jwk;
  return createPublicKey({ key: importable as JsonWebKey, format: 'jwk' });
}
