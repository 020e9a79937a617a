/**
 * RS256 with WebCrypto through jose: the signing back end of every runtime but Node.js,
 * reached through the package's `#signing` import (see signing.ts).
 *
 * @module
 */
import type { JWK } from 'jose';
import { importJWK } from 'jose/key/import';
import { CompactSign } from 'jose/jws/compact/sign';
import type { WebCryptoKey as CryptoKey } from '../../internal/web-types.js';
import type { AssertionHeader, ImportedSigningKey, SigningKey } from '../signing.js';

/** Which back end this is, for the runtime tests and debugging. */
export const SIGNING_NAME = 'webcrypto';

/** Decodes a JWK member for the consistency check: the portable decoder. */
export { base64urlToBigInt as memberToBigInt } from '../consistency.js';

const encoder = new TextEncoder();

/** Imports a checked RSA private JWK as a non-extractable RS256 key; throws what jose throws. */
export async function importRs256Key(jwk: JWK): Promise<ImportedSigningKey> {
  const signingKey = (await importJWK(jwk, 'RS256', { extractable: false })) as CryptoKey;
  const modulusBits = (signingKey.algorithm as RsaHashedKeyAlgorithm).modulusLength;
  return { signingKey, modulusBits };
}

/** The compact JWS of `claimsJson` under `header`. */
export function signRs256(
  signingKey: SigningKey,
  header: AssertionHeader,
  claimsJson: string,
): Promise<string> {
  // jose's CompactSign, not a JWS assembled by hand: on runtimes without node:crypto, JOSE
  // serialisation stays in the one library we trust with it. Its per-signature checks of
  // the fixed header and key cost about 5% of a signature (bench/assertion.bench.ts).
  return new CompactSign(encoder.encode(claimsJson))
    .setProtectedHeader({ ...header })
    .sign(signingKey);
}
