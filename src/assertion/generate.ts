/**
 * Makes assertion signing keys ready for the LINE Developers Console, and derives the
 * public JWK to register from a private key users already hold.
 *
 * @module
 */
import type { Jwk as JWK } from '../internal/web-types.js';
import { exportJWK } from 'jose/key/export';
import { generateKeyPair as joseGenerateKeyPair } from 'jose/key/generate/keypair';
import { InvalidKeyError } from '../errors.js';
import { MIN_RSA_MODULUS_BITS } from './constants.js';
import { keyStateOf, type AssertionKey, type PrivateKeyInput } from './key.js';

/**
 * The public JWK the LINE Developers Console takes (Basic settings → Assertion Signing
 * Key → Register a public key): exactly these members, in this order. The Console refuses
 * a JWK that holds `kid`; it answers with the `kid` to put in every assertion header.
 */
export interface ConsolePublicJwk {
  kty: 'RSA';
  alg: 'RS256';
  use: 'sig';
  e: string;
  n: string;
}

function consoleJwk(e: string, n: string): ConsolePublicJwk {
  return { kty: 'RSA', alg: 'RS256', use: 'sig', e, n };
}

/**
 * Generates an RSA-2048 key pair for RS256 assertions.
 *
 * @returns `privateJwk`: the private JWK (`kty, alg: "RS256", use: "sig", n, e, d, p, q,
 *   dp, dq, qi`; no `kid`) to keep secret, e.g. in a file of mode 0600; `publicJwk`: the
 *   {@link ConsolePublicJwk} to paste into the LINE Developers Console.
 *
 * @example
 * ```ts
 * const { privateJwk, publicJwk } = await generateKeyPair();
 * await writeFile('key.json', JSON.stringify(privateJwk), { mode: 0o600 });
 * console.log(JSON.stringify(publicJwk, null, 2)); // register this in the Console
 * ```
 */
export async function generateKeyPair(): Promise<{ privateJwk: JWK; publicJwk: ConsolePublicJwk }> {
  const { privateKey } = await joseGenerateKeyPair('RS256', {
    modulusLength: MIN_RSA_MODULUS_BITS,
    extractable: true,
  });
  const { n, e, d, p, q, dp, dq, qi } = await exportJWK(privateKey);
  if (!n || !e || !d || !p || !q || !dp || !dq || !qi) {
    // WebCrypto always exports every RSA member; this guards a runtime that does not.
    throw new InvalidKeyError('the generated key could not be exported as a complete JWK');
  }
  const privateJwk: JWK = { kty: 'RSA', alg: 'RS256', use: 'sig', n, e, d, p, q, dp, dq, qi };
  return { privateJwk, publicJwk: consoleJwk(e, n) };
}

/**
 * Derives the public JWK to register in the LINE Developers Console from a private key in
 * any accepted form — for users who made their key elsewhere (openssl, the browser
 * snippet) and need the exact shape the Console takes.
 *
 * @throws InvalidKeyError for an unusable key, or for a non-extractable CryptoKey, whose
 *   public half cannot be read.
 *
 * @example
 * ```ts
 * const publicJwk = await publicJwkForConsole(pemText);
 * console.log(JSON.stringify(publicJwk, null, 2));
 * ```
 */
export async function publicJwkForConsole(
  privateKey: PrivateKeyInput | AssertionKey,
): Promise<ConsolePublicJwk> {
  const state = await keyStateOf(privateKey);
  if (!state.publicParts) {
    throw new InvalidKeyError(
      'privateKey is a non-extractable CryptoKey, so its public half cannot be read: pass the key as a JWK or PEM, or use the public key of its pair',
    );
  }
  return consoleJwk(state.publicParts.e, state.publicParts.n);
}
