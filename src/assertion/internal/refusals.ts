/**
 * The InvalidKeyErrors shared by every key form, so a JWK, a PEM, a CryptoKey and a
 * KeyObject holding the same wrong key get the same message. Messages describe the key
 * (its type, its size) and never contain key material.
 *
 * @module
 */
import { InvalidKeyError } from '../../errors.js';
import { MIN_RSA_MODULUS_BITS } from '../constants.js';

const FIX =
  'make an RSA-2048 key with `line-token keygen` (or generateKeyPair()) and register its public half in the LINE Developers Console';

/** A key of the wrong family: EC, OKP, DSA, RSA-PSS or symmetric. */
export function refuseKeyType(kind: string): InvalidKeyError {
  const article = /^(?:[AEIOU]|RSA)/.test(kind) ? 'an' : 'a';
  return new InvalidKeyError(
    `privateKey is ${article} ${kind} key, but LINE assertion keys are RSA (${MIN_RSA_MODULUS_BITS} bits or more, signed RS256): ${FIX}`,
  );
}

/** An RSA key below LINE's (and RS256's) minimum size. */
export function refuseSmallRsa(bits: number): InvalidKeyError {
  return new InvalidKeyError(
    `privateKey is a ${bits}-bit RSA key, but LINE needs at least ${MIN_RSA_MODULUS_BITS} bits: ${FIX}`,
  );
}

/** A public key where signing needs the private one. */
export function refusePublicKey(what: string): InvalidKeyError {
  return new InvalidKeyError(
    `privateKey is a public key (${what}), but signing needs the private key: pass the private half of the pair, not the one registered in the LINE Developers Console`,
  );
}
