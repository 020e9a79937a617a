/**
 * The Web types our public declarations name, spelt so that they resolve in every
 * TypeScript setup users have. A Node.js project on `lib: ["es2023"]` with `@types/node`
 * has no global `CryptoKey` (that comes with the DOM lib), and a CommonJS project cannot
 * name `jose`'s types (jose 6 is ESM only), so our `.d.ts` files use these instead.
 *
 * @module
 */

/**
 * The runtime's WebCrypto `CryptoKey`: read off `crypto.subtle` where the environment's
 * types declare it (the DOM lib, `@types/node`, Deno, Workers), else a structural stand-in.
 */
export type WebCryptoKey = typeof globalThis extends {
  crypto: {
    subtle: {
      /** WebCrypto's key generation: its result type names the runtime's `CryptoKey`. */
      generateKey(...args: never[]): Promise<infer Generated>;
    };
  };
}
  ? Extract<Generated, { type: string }>
  : { readonly type: string; readonly algorithm: { name: string }; readonly extractable: boolean };

/** A JSON Web Key (RFC 7517): the members line-token reads, and any others as `unknown`. */
export interface Jwk {
  kty?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  kid?: string;
  ext?: boolean;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  crv?: string;
  x?: string;
  y?: string;
  [member: string]: unknown;
}
