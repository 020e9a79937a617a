/**
 * The emulator's JWS-shaped tokens. v2.1 and stateless tokens look like LINE's
 * (`eyJhbGciOiJIUzI1NiJ9.<payload>.<signature>`), and like LINE's their payload is opaque:
 * LINE says never to parse a token, so nothing in ours decodes to anything a caller could
 * come to rely on. A v2.1 payload is random bytes (the token is looked up by value); a
 * stateless one is a random nonce and its channel and expiry masked with a keystream only
 * the emulator can derive (SHA-256 of a secret and the nonce), so it is verifiable without
 * being stored, as on LINE, yet reads as noise; the signature over it makes any edit fail.
 * One-shot node:crypto hashes throughout, no crypto object per token: this is the
 * emulator's hot path, and the shapes are ours.
 *
 * Two stateless formats, told apart by the payload's first byte and then by their MAC:
 * - version 2 (minted now): the signature is SHA-256 of a 64-byte key then the signing
 *   input, two hashes per token with the mask. Such a prefix MAC is safe here because a
 *   length extension appends SHA-256 padding (0x80 and zero bytes), which no signing input
 *   (base64url and a dot) can hold;
 * - version 1 (minted before; a state file keeps the secret, so its tokens must still
 *   verify): HMAC-SHA256 under another key, three hashes per token.
 *
 * @module
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { freshBytes } from './random.js';
import { HmacSha256, sha256, sha256Base64url } from './hmac.js';

/** base64url of `{"alg":"HS256"}`, the header of every token the emulator mints. */
export const TOKEN_HEADER = 'eyJhbGciOiJIUzI1NiJ9';

// Three base64url segments, the shape every JWS in compact form has.
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const NONCE_BYTES = 16;
// Inside the masked part: a marker that tells a stateless payload from a v2.1 one (whose
// random bytes unmask to noise), then the expiry and the channel.
const MARKER_V1 = 0x4c547331; // "LTs1"
const MARKER_V2 = 0x4c547332; // "LTs2"
// The first payload byte of a version 2 token (the other 15 nonce bytes are random). A
// version 1 token starts with it once in 256, and is then read as version 1 after the
// version 2 MAC fails.
const VERSION_2 = 0x02;
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

/** Constant-time equality of two ASCII strings of the same length (else false at once). */
function textEquals(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Whether base64url text decodes to exactly `expected`, compared in constant time. */
function bytesEqual(text: string, expected: Buffer): boolean {
  const presented = Buffer.from(text, 'base64url');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

const derive = (secret: Uint8Array, purpose: string): Buffer =>
  createHmac('sha256', secret).update(`line-token emulator: ${purpose}`).digest();

/** Mints and reads the emulator's tokens under one persisted secret. */
export class TokenMint {
  readonly #macV1: HmacSha256;
  readonly #macKeyV2: string;
  readonly #maskSeed: string;

  constructor(secret: Uint8Array) {
    // Keys derived from one secret, so the state file keeps a single value.
    this.#macV1 = new HmacSha256(derive(secret, 'token signature').toString('hex'));
    // 64 hex characters: exactly one SHA-256 block, so the key fills the first block alone.
    this.#macKeyV2 = derive(secret, 'token signature, version 2').toString('hex');
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
    out[0] = VERSION_2;
    out.writeUInt32BE(MARKER_V2, NONCE_BYTES);
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
    const payload = Buffer.from(token.slice(first + 1, second), 'base64url');
    if (payload.length <= HEAD_BYTES) return undefined;
    const input = token.slice(0, second);
    const presented = token.slice(second + 1);
    let marker: number;
    if (payload[0] === VERSION_2 && textEquals(presented, this.#macV2(input))) {
      marker = MARKER_V2;
    } else if (bytesEqual(presented, this.#macV1.digest(input))) marker = MARKER_V1;
    else return undefined;
    this.#mask(payload);
    if (payload.readUInt32BE(NONCE_BYTES) !== marker) return undefined; // a v2.1 token
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

  /** The version 2 MAC of a signing input, base64url: one hash of the key and the input. */
  #macV2(input: string): string {
    return sha256Base64url(this.#macKeyV2 + input);
  }

  #sign(payload: string): string {
    const input = `${TOKEN_HEADER}.${payload}`;
    return `${input}.${this.#macV2(input)}`;
  }
}
