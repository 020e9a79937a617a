/**
 * JWT assertions and keys: sign the assertions LINE takes for v2.1 tokens, key-id listing
 * and stateless tokens; import private keys from every form users hold; make key pairs
 * ready for the LINE Developers Console.
 *
 * @module
 */
export {
  DEFAULT_ASSERTION_LIFETIME_SEC,
  LINE_ASSERTION_AUDIENCE,
  MAX_ASSERTION_LIFETIME_SEC,
  MAX_TOKEN_EXP_SEC,
  MIN_RSA_MODULUS_BITS,
} from './constants.js';
export { importPrivateKey, type AssertionKey, type PrivateKeyInput } from './key.js';
export {
  createAssertionSigner,
  signAssertion,
  type AssertionOptions,
  type AssertionSigner,
} from './sign.js';
export { generateKeyPair, publicJwkForConsole, type ConsolePublicJwk } from './generate.js';
export type { Jwk, WebCryptoKey } from '../internal/web-types.js';
