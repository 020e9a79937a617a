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
export type CryptoKey = typeof globalThis extends {
  crypto: { subtle: { generateKey(...args: never[]): Promise<infer Generated> } };
}
  ? Extract<Generated, { type: string }>
  : { readonly type: string; readonly algorithm: { name: string }; readonly extractable: boolean };

/** A JSON Web Key (RFC 7517): the members line-token reads, and any others as `unknown`. */
export interface Jwk {
  readonly kty?: string;
  readonly alg?: string;
  readonly use?: string;
  readonly key_ops?: readonly string[];
  readonly kid?: string;
  readonly ext?: boolean;
  readonly n?: string;
  readonly e?: string;
  readonly d?: string;
  readonly p?: string;
  readonly q?: string;
  readonly dp?: string;
  readonly dq?: string;
  readonly qi?: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly [member: string]: unknown;
}
