/**
 * The shapes both signing back ends share: `#signing` (package.json "imports") is
 * webcrypto-signing.ts on every runtime but Node.js, src/node/signing.ts under the `node`
 * condition. Both sign RS256 (PKCS#1 v1.5, deterministic), so for one key and one set of
 * claims they give the same bytes.
 *
 * @module
 */
import type { WebCryptoKey as CryptoKey } from '../internal/web-types.js';

/**
 * A key ready to sign, opaque above the back end: a WebCrypto `CryptoKey`, or on Node a
 * `KeyObject` (Node's `sign()` takes a `CryptoKey` too, for one given as is).
 */
export type SigningKey = CryptoKey | { readonly type: string };

/** The protected header of every assertion, in the order it is serialised. */
export interface AssertionHeader {
  readonly alg: 'RS256';
  readonly typ: 'JWT';
  readonly kid: string;
}

/** What an import gives: the key and its modulus size, for the 2048-bit floor. */
export interface ImportedSigningKey {
  readonly signingKey: SigningKey;
  readonly modulusBits: number;
}
