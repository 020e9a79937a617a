// Registration of assertion public keys, refusing what the LINE Developers Console refuses:
// https://developers.line.biz/en/docs/messaging-api/generate-json-web-token/
import { importJWK, type JWK } from 'jose';
import { adminFailure } from './internal/admin-error.js';

/** The only key size the Console takes. */
export const ASSERTION_KEY_BITS = 2048;

// Members that only a private RSA JWK has: registering one would publish the private key.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'] as const;

/** A public JWK accepted for registration, stored as it came (minus nothing: `ext` stays). */
export type RegisteredJwk = JWK & { kty: 'RSA'; n: string; e: string };

const refuse = (message: string) => adminFailure(400, 'publicJwk', message);

/**
 * Checks a public JWK the way the Console does and imports it once to prove it is usable.
 * Throws an InvalidArgumentError (HTTP 400 over the admin API) saying what is wrong.
 */
export async function validatePublicJwk(input: unknown): Promise<{
  jwk: RegisteredJwk;
  key: CryptoKey;
}> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw refuse('the public key must be a JWK object');
  }
  const jwk = input as Record<string, unknown>;
  if ('kid' in jwk) {
    throw refuse('the JWK must not hold "kid": the Console assigns one on registration');
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
  let key: CryptoKey;
  try {
    // The imported key is only ever used to verify, whatever key_ops the user listed.
    const { key_ops: _ops, ...importable } = jwk;
    const imported = await importJWK({ ...importable, ext: true } as JWK, 'RS256');
    if (imported instanceof Uint8Array) throw new TypeError('not an RSA key');
    key = imported;
  } catch (cause) {
    throw adminFailure(
      400,
      'publicJwk',
      `the JWK is not a usable RSA public key (${String(cause)})`,
    );
  }
  const bits = (key.algorithm as RsaHashedKeyAlgorithm).modulusLength;
  if (bits !== ASSERTION_KEY_BITS) {
    throw refuse(`the RSA modulus must be ${ASSERTION_KEY_BITS} bits, not ${bits}`);
  }
  return { jwk: jwk as RegisteredJwk, key };
}

/** Imports an already validated JWK again (after a restart from the state file). */
export async function importRegisteredJwk(jwk: RegisteredJwk): Promise<CryptoKey> {
  const { key_ops: _ops, ...importable } = jwk;
  return (await importJWK({ ...importable, ext: true }, 'RS256')) as CryptoKey;
}
