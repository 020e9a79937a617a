// The emulator's JWS-shaped tokens. v2.1 and stateless tokens look like LINE's
// (`eyJhbGciOiJIUzI1NiJ9.<payload>.<signature>`, HS256 under a secret only the emulator
// knows). v2.1 tokens are looked up by value; stateless ones carry their channel and expiry
// in the signed payload, so they are verifiable without being stored, as on LINE.
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { tokenNonce } from './internal/random.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const HEADER = { alg: 'HS256' } as const;

// Three base64url segments, the shape every JWS in compact form has.
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Whether a string has the shape of a compact JWS (three base64url parts). */
export function looksLikeJws(value: string): boolean {
  return JWS_SHAPE.test(value);
}

/** Whether a JWS-shaped string's header decodes as a JOSE header. */
export function jwsHeaderDecodes(value: string): boolean {
  try {
    decodeProtectedHeader(value);
    return true;
  } catch {
    return false;
  }
}

/** A new opaque v2.1 token. */
export function signV21Token(secret: CryptoKey): Promise<string> {
  const payload = encoder.encode(JSON.stringify({ jti: tokenNonce() }));
  return new CompactSign(payload).setProtectedHeader(HEADER).sign(secret);
}

/** A new stateless token for `channelId`, expiring at `expiresAtSec` (epoch seconds). */
export function signStatelessToken(
  secret: CryptoKey,
  channelId: string,
  expiresAtSec: number,
): Promise<string> {
  const payload = encoder.encode(
    JSON.stringify({ typ: 'stateless', ch: channelId, exp: expiresAtSec, jti: tokenNonce() }),
  );
  return new CompactSign(payload).setProtectedHeader(HEADER).sign(secret);
}

/** The channel and expiry of a stateless token this emulator signed, or undefined. */
export async function readStatelessToken(
  secret: CryptoKey,
  token: string,
): Promise<{ channelId: string; expiresAtSec: number } | undefined> {
  if (!looksLikeJws(token)) return undefined;
  try {
    const { payload } = await compactVerify(token, secret, { algorithms: ['HS256'] });
    const claims = JSON.parse(decoder.decode(payload)) as Record<string, unknown>;
    if (claims['typ'] !== 'stateless') return undefined;
    const ch = claims['ch'];
    const exp = claims['exp'];
    if (typeof ch !== 'string' || typeof exp !== 'number') return undefined;
    return { channelId: ch, expiresAtSec: exp };
  } catch {
    return undefined;
  }
}
