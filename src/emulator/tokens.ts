// The emulator's JWS-shaped tokens. v2.1 and stateless tokens look like LINE's
// (`eyJhbGciOiJIUzI1NiJ9.<payload>.<signature>`, HS256 under a secret only the emulator
// knows), and like LINE's their payload is opaque: LINE says never to parse a token, so
// nothing in ours decodes to anything a caller could come to rely on. A v2.1 payload is
// random bytes (the token is looked up by value); a stateless one is its channel and expiry
// sealed with AES-256-GCM, so it is verifiable without being stored, as on LINE, yet reads
// as noise. node:crypto throughout: this is the emulator's hot path, and the shapes are ours.
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { freshBytes } from './internal/random.js';

/** base64url of `{"alg":"HS256"}`, the header of every token the emulator mints. */
export const TOKEN_HEADER = 'eyJhbGciOiJIUzI1NiJ9';

// Three base64url segments, the shape every JWS in compact form has.
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const EXP_BYTES = 8;

/** Whether a string has the shape of a compact JWS (three base64url parts). */
export function looksLikeJws(value: string): boolean {
  return JWS_SHAPE.test(value);
}

/** Whether a JWS-shaped string's header decodes as a JOSE header (jose's parsing rules). */
export function jwsHeaderDecodes(value: string): boolean {
  try {
    decodeProtectedHeader(value);
    return true;
  } catch {
    return false;
  }
}

const derive = (secret: Uint8Array, purpose: string): Buffer =>
  createHmac('sha256', secret).update(`line-token emulator: ${purpose}`).digest();

/** Mints and reads the emulator's tokens under one persisted secret. */
export class TokenMint {
  readonly #macKey: Buffer;
  readonly #sealKey: Buffer;

  constructor(secret: Uint8Array) {
    // Two keys from one secret, so the state file keeps a single value.
    this.#macKey = derive(secret, 'token signature');
    this.#sealKey = derive(secret, 'stateless payload');
  }

  /** A new opaque v2.1 token. */
  v21(): string {
    return this.#sign(freshBytes(32).toString('base64url'));
  }

  /** A new stateless token for `channelId`, expiring at `expiresAtSec` (epoch seconds). */
  stateless(channelId: string, expiresAtSec: number): string {
    const iv = Buffer.from(freshBytes(IV_BYTES));
    const plain = Buffer.allocUnsafe(EXP_BYTES + Buffer.byteLength(channelId));
    plain.writeDoubleBE(expiresAtSec, 0);
    plain.write(channelId, EXP_BYTES, 'utf8');
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey, iv);
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return this.#sign(sealed.toString('base64url'));
  }

  /** The channel and expiry of a stateless token this emulator minted, or undefined. */
  readStateless(token: string): { channelId: string; expiresAtSec: number } | undefined {
    if (!looksLikeJws(token)) return undefined;
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    if (token.slice(0, first) !== TOKEN_HEADER) return undefined;
    const expected = createHmac('sha256', this.#macKey).update(token.slice(0, second)).digest();
    const presented = Buffer.from(token.slice(second + 1), 'base64url');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return undefined;
    }
    const sealed = Buffer.from(token.slice(first + 1, second), 'base64url');
    if (sealed.length < IV_BYTES + EXP_BYTES + TAG_BYTES) return undefined; // a v2.1 token
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#sealKey, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return {
        expiresAtSec: plain.readDoubleBE(0),
        channelId: plain.toString('utf8', EXP_BYTES),
      };
    } catch {
      return undefined;
    }
  }

  #sign(payload: string): string {
    const input = `${TOKEN_HEADER}.${payload}`;
    return `${input}.${createHmac('sha256', this.#macKey).update(input).digest('base64url')}`;
  }
}
