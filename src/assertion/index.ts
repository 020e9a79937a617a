/**
 * JWT assertions and keys: sign the assertions LINE takes for v2.1 tokens, key-id listing
 * and stateless tokens; import private keys from every form users hold; make key pairs
 * ready for the LINE Developers Console.
 *
 * @module
 */
// LINE's limits on assertions and tokens are exported once, as LINE_FACTS (from the root).
export { importPrivateKey, type AssertionKey, type PrivateKeyInput } from './key.js';
export {
  createAssertionSigner,
  signAssertion,
  type AssertionOptions,
  type AssertionSigner,
} from './sign.js';
export { generateKeyPair, publicJwkForConsole, type ConsolePublicJwk } from './generate.js';
export type { Jwk, WebCryptoKey } from '../internal/web-types.js';
