/**
 * The emulator's JWS-shaped tokens. v2.1 and stateless tokens look like LINE's
 * (`eyJhbGciOiJIUzI1NiJ9.<payload>.<signature>`, HS256 under a secret only the emulator
 * knows), and like LINE's their payload is opaque: LINE says never to parse a token, so
 * nothing in ours decodes to anything a caller could come to rely on. A v2.1 payload is
 * random bytes (the token is looked up by value); a stateless one is a random nonce and its
 * channel and expiry masked with a keystream only the emulator can derive (SHA-256 of the
 * secret and the nonce), so it is verifiable without being stored, as on LINE, yet reads as
 * noise; the HS256 signature over it makes any edit fail. One-shot node:crypto hashes
 * throughout, no crypto object per token: this is the emulator's hot path (an AES-GCM
 * cipher, then an Hmac object, per token each cost more than the rest of a stateless
 * issue), and the shapes are ours.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { freshBytes } from './random.js';
import { HmacSha256, sha256 } from './hmac.js';

/** base64url of `{"alg":"HS256"}`, the header of every token the emulator mints. */
export const TOKEN_HEADER = 'eyJhbGciOiJIUzI1NiJ9';

// Three base64url segments, the shape every JWS in compact form has.
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const NONCE_BYTES = 16;
// Inside the masked part: a marker that tells a stateless payload from a v2.1 one (whose
// random bytes unmask to noise), then the expiry and the channel.
const MARKER = 0x4c547331; // "LTs1"
const MARKER_BYTES = 4;
const EXP_BYTES = 8;
const HEAD_BYTES = NONCE_BYTES + MARKER_BYTES + EXP_BYTES;
const MASK_BYTES = 32;
// A v2.1 token's payload and signature are 32 random bytes each.
const V21_PAYLOAD_BYTES = 32;

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
  readonly #mac: HmacSha256;
  readonly #maskSeed: string;

  constructor(secret: Uint8Array) {
    // Two keys from one secret, so the state file keeps a single value.
    this.#mac = new HmacSha256(derive(secret, 'token signature').toString('hex'));
    this.#maskSeed = derive(secret, 'stateless payload').toString('hex');
  }

  /**
   * A new opaque v2.1 token. It is found by value, so nothing needs to verify it: its
   * "signature" is random bytes too, which spares an HMAC on the issue path.
   */
  v21(): string {
    const bytes = freshBytes(V21_PAYLOAD_BYTES * 2);
    return `${TOKEN_HEADER}.${bytes.toString('base64url', 0, V21_PAYLOAD_BYTES)}.${bytes.toString('base64url', V21_PAYLOAD_BYTES)}`;
  }

  /** A new stateless token for `channelId`, expiring at `expiresAtSec` (epoch seconds). */
  stateless(channelId: string, expiresAtSec: number): string {
    const idBytes = Buffer.byteLength(channelId);
    const out = Buffer.allocUnsafe(HEAD_BYTES + idBytes);
    freshBytes(NONCE_BYTES).copy(out, 0);
    out.writeUInt32BE(MARKER, NONCE_BYTES);
    out.writeDoubleBE(expiresAtSec, NONCE_BYTES + MARKER_BYTES);
    out.write(channelId, HEAD_BYTES, 'utf8');
    this.#mask(out);
    return this.#sign(out.toString('base64url'));
  }

  /** The channel and expiry of a stateless token this emulator minted, or undefined. */
  readStateless(token: string): { channelId: string; expiresAtSec: number } | undefined {
    if (!looksLikeJws(token)) return undefined;
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    if (token.slice(0, first) !== TOKEN_HEADER) return undefined;
    const expected = this.#mac.digest(token.slice(0, second));
    const presented = Buffer.from(token.slice(second + 1), 'base64url');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      return undefined;
    }
    const payload = Buffer.from(token.slice(first + 1, second), 'base64url');
    if (payload.length <= HEAD_BYTES) return undefined;
    this.#mask(payload);
    if (payload.readUInt32BE(NONCE_BYTES) !== MARKER) return undefined; // a v2.1 token
    return {
      expiresAtSec: payload.readDoubleBE(NONCE_BYTES + MARKER_BYTES),
      channelId: payload.toString('utf8', HEAD_BYTES),
    };
  }

  /** XORs everything after the nonce with the keystream of (secret, nonce), in place. */
  #mask(payload: Buffer): void {
    const nonce = payload.toString('base64', 0, NONCE_BYTES);
    for (let at = NONCE_BYTES, block = 0; at < payload.length; at += MASK_BYTES, block++) {
      const mask = sha256(`${this.#maskSeed}.${nonce}.${block}`);
      const end = Math.min(payload.length, at + MASK_BYTES);
      for (let i = at; i < end; i++) payload[i] = payload[i]! ^ mask[i - at]!;
    }
  }

  #sign(payload: string): string {
    const input = `${TOKEN_HEADER}.${payload}`;
    return `${input}.${this.#mac.digestBase64url(input)}`;
  }
}
