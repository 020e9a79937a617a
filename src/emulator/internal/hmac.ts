/**
 * SHA-256 in one call, and HMAC-SHA256 (RFC 2104) of ASCII text built from it. The HMAC
 * signs the stateless tokens of format 1, which the emulator still reads (format 2 is one
 * keyed hash, see tokens.ts): `createHmac` (a stream object with a native handle, made and
 * dropped per token) cost more than all the rest of a stateless issue's own work, mostly in
 * allocation and garbage collection; two one-shot hashes, the inner one over a string, do
 * not. The same bytes as `createHmac('sha256', key)`; the tests compare the two.
 *
 * @module
 */
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';

const BLOCK_BYTES = 64;
const DIGEST_BYTES = 32;
const ASCII_KEY = /^[\x20-\x7e]{64}$/;

type OneShot = {
  (algorithm: string, data: string | Uint8Array, outputEncoding: 'buffer'): Buffer;
  (algorithm: string, data: string | Uint8Array, outputEncoding: 'base64url'): string;
};
// crypto.hash is Node >= 20.12 (the package needs 20.19); a Hash object is the fallback for
// runtimes whose node:crypto lacks it.
const oneShot = (nodeCrypto as { hash?: OneShot }).hash;
/** SHA-256 of a string (as UTF-8) or bytes, in one call. */
export const sha256 = (data: string | Uint8Array): Buffer =>
  oneShot ? oneShot('sha256', data, 'buffer') : createHash('sha256').update(data).digest();

/** SHA-256 of a string (as UTF-8) or bytes, as base64url, encoded by the hash itself. */
export const sha256Base64url = (data: string | Uint8Array): string =>
  oneShot
    ? oneShot('sha256', data, 'base64url')
    : createHash('sha256').update(data).digest('base64url');

/** HMAC-SHA256 under a fixed key of 64 printable ASCII characters (the hex of 32 bytes). */
export class HmacSha256 {
  // The key XOR ipad, as text: printable ASCII XOR 0x36 stays below 0x80, so the string
  // hashes (as UTF-8) to exactly those bytes, and the message is appended without a copy.
  readonly #innerPad: string;
  // The key XOR opad, followed by room for the inner digest.
  readonly #outer = Buffer.alloc(BLOCK_BYTES + DIGEST_BYTES);

  constructor(key: string) {
    // A 64-character key is exactly one block: RFC 2104 neither hashes nor pads it.
    if (!ASCII_KEY.test(key))
      throw new RangeError('HMAC key must be 64 printable ASCII characters');
    let inner = '';
    for (let i = 0; i < BLOCK_BYTES; i++) {
      inner += String.fromCharCode(key.charCodeAt(i) ^ 0x36);
      this.#outer[i] = key.charCodeAt(i) ^ 0x5c;
    }
    this.#innerPad = inner;
  }

  /** The MAC of `text`, which must be ASCII (a JWS signing input is base64url and dots). */
  digest(text: string): Buffer {
    sha256(this.#innerPad + text).copy(this.#outer, BLOCK_BYTES);
    return sha256(this.#outer);
  }

  /** {@link digest} as base64url, encoded by the hash itself (no Buffer in between). */
  digestBase64url(text: string): string {
    sha256(this.#innerPad + text).copy(this.#outer, BLOCK_BYTES);
    return sha256Base64url(this.#outer);
  }
}
