/**
 * RS256 with `node:crypto`: the signing back end under the package's `node` condition
 * (`#signing`, see src/assertion/signing.ts). `createPrivateKey` and a synchronous
 * `sign()` skip WebCrypto's promise round trips and jose's per-signature checks: a fresh
 * process's key import and first signature cost less than jsonwebtoken's, and a reused
 * signer is within a few percent of a bare `sign()` (bench/assertion.bench.ts,
 * bench/startup.bench.ts). The JWK reaching here has passed the same checks as on every
 * runtime (jwk.ts), and PKCS#1 v1.5 is deterministic, so the bytes equal WebCrypto's.
 *
 * @module
 */
import { createPrivateKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { AssertionHeader, ImportedSigningKey, SigningKey } from '../assertion/signing.js';

/** Which back end this is, for the runtime tests and debugging. */
export const SIGNING_NAME = 'node:crypto';

/**
 * Imports a checked RSA private JWK as a KeyObject; throws what Node throws. The modulus
 * size is read from `n` itself, which OpenSSL takes as given: `asymmetricKeyDetails` says
 * the same but costs a fresh process a twentieth of its first signature.
 */
export async function importRs256Key(jwk: JWK): Promise<ImportedSigningKey> {
  const signingKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  return { signingKey, modulusBits: bitLength(Buffer.from(jwk.n ?? '', 'base64url')) };
}

/** How many bits the big-endian number in `bytes` takes, without its leading zeros. */
function bitLength(bytes: Uint8Array): number {
  let first = 0;
  while (first < bytes.length && bytes[first] === 0) first++;
  if (first === bytes.length) return 0;
  return (bytes.length - first - 1) * 8 + (32 - Math.clz32(bytes[first]!));
}

/**
 * A base64url JWK member as a number, for the consistency check (consistency.ts): Node's
 * native decoder, where the portable one walks the ~1,700 characters of a key in
 * JavaScript that is still cold in a fresh process. The member passed the base64url check.
 */
export function memberToBigInt(member: string): bigint {
  return BigInt(`0x0${Buffer.from(member, 'base64url').toString('hex')}`);
}

const base64url = (text: string): string => Buffer.from(text).toString('base64url');

/** The compact JWS of `claimsJson` under `header`, as RFC 7515 lays it out. */
export function signRs256(
  signingKey: SigningKey,
  header: AssertionHeader,
  claimsJson: string,
): string {
  const input = `${base64url(JSON.stringify(header))}.${base64url(claimsJson)}`;
  const signature = sign('sha256', Buffer.from(input), signingKey as KeyObject);
  return `${input}.${signature.toString('base64url')}`;
}
