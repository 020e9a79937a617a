/**
 * Verification of a client's JWT assertion, in the order of docs/line-rules.md
 * ("The JWT assertion, checked in this order"). jose parses the header and claims (JOSE's
 * decoding rules are its job); the signature is checked with node:crypto against the key
 * imported once at registration, and only after `alg` is exactly RS256, so `none`,
 * HS256-with-the-public-key and every other algorithm are refused before any key is used.
 *
 * @module
 */
import { verify as verifySignature, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as R from './internal/responses.js';
import type { EmulatorState } from './state.js';
import {
  LINE_ASSERTION_AUDIENCE,
  MAX_ASSERTION_LIFETIME_SEC,
  MAX_TOKEN_EXP_SEC,
} from '../line/facts.js';

/** A verified assertion: who sent it and its claims. */
export interface VerifiedAssertion {
  channelId: string;
  claims: Record<string, unknown>;
}

// LINE's own examples send exp and token_exp as numeric strings, so both forms are numbers.
const INTEGER_STRING = /^[0-9]{1,15}$/;

/** An integer claim, as a number or a numeric string; undefined when it is neither. */
export function integerClaim(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'string' && INTEGER_STRING.test(value)) return Number(value);
  return undefined;
}

// An RS256 signature over a 2048-bit key is 256 bytes: 342 base64url characters, strictly.
const RS256_2048_SIGNATURE = /^[A-Za-z0-9_-]{342}$/;

/** RS256 over `header.payload`, as jose's compactVerify checked it before. */
function signatureVerifies(
  assertion: string,
  header: Readonly<Record<string, unknown>>,
  key: KeyObject | undefined,
): boolean {
  // jose refused any `crit` it does not implement (and it implements none that LINE uses).
  if (key === undefined || 'crit' in header) return false;
  const dot = assertion.lastIndexOf('.');
  const signature = assertion.slice(dot + 1);
  if (!RS256_2048_SIGNATURE.test(signature)) return false;
  try {
    return verifySignature(
      'sha256',
      Buffer.from(assertion.slice(0, dot)),
      key,
      Buffer.from(signature, 'base64url'),
    );
  } catch {
    return false;
  }
}

/** How many dots a string holds (a compact JWS has 2, a JWE 4), without splitting it. */
export function dotsIn(text: string): number {
  let dots = 0;
  for (let at = text.indexOf('.'); at >= 0; at = text.indexOf('.', at + 1)) dots++;
  return dots;
}

// Decoded protected headers by their text: a channel signs every assertion under one header,
// so jose decodes each header once, not once per request. undefined: it does not decode.
// The objects are frozen, since every request with that header shares one.
const headers = new Map<string, Readonly<Record<string, unknown>> | undefined>();
const HEADERS_KEPT = 1_000;
// A LINE assertion's header ({alg, typ, kid}) is about 100 characters of base64url.
const HEADER_TEXT_KEPT_MAX = 512;

/**
 * The protected header of a compact JWS (or JWE) as jose decodes it; undefined if it cannot.
 * Shared with the request log, so each header is decoded and looked up in one place.
 */
export function protectedHeader(assertion: string): Readonly<Record<string, unknown>> | undefined {
  const text = assertion.slice(0, assertion.indexOf('.'));
  const known = headers.get(text);
  if (known !== undefined || headers.has(text)) return known;
  let header: Readonly<Record<string, unknown>> | undefined;
  try {
    header = Object.freeze(decodeProtectedHeader(assertion));
  } catch {
    header = undefined;
  }
  // Only headers of a real assertion's size are kept: a flood of huge made-up ones must not
  // hold up to HEADERS_KEPT request bodies in memory.
  if (text.length > HEADER_TEXT_KEPT_MAX) return header;
  if (headers.size >= HEADERS_KEPT) headers.clear();
  headers.set(text, header);
  return header;
}

// A payload of base64url characters alone, whose length atob accepts (not 1 mod 4): atob and
// Buffer's base64url decoder read it to the same bytes.
const PLAIN_BASE64URL = /^[A-Za-z0-9_-]+$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The claims of a three-part assertion as jose's decodeJwt reads them, or undefined when it
 * refuses them. jose decodes base64url through atob and a byte loop, the largest share of
 * an assertion's cost after the signature; a well-formed payload (every real one) takes
 * Buffer's decoder and the same strict UTF-8, JSON and plain-object checks, and anything
 * else goes to jose itself, so every refusal stays jose's.
 */
export function claimsOf(assertion: string): Record<string, unknown> | undefined {
  const first = assertion.indexOf('.');
  const part = assertion.slice(first + 1, assertion.indexOf('.', first + 1));
  try {
    if (part.length % 4 === 1 || !PLAIN_BASE64URL.test(part)) return decodeJwt(assertion);
    const claims: unknown = JSON.parse(strictUtf8.decode(Buffer.from(part, 'base64url')));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks an assertion and answers either the verified channel or the exact refusal.
 * `nowMs` is the emulator clock.
 */
export function verifyAssertion(
  state: EmulatorState,
  assertion: string,
  nowMs: number,
): VerifiedAssertion | R.Answer {
  // 1. A compact JWS whose header and payload decode.
  if (dotsIn(assertion) !== 2) return R.ASSERTION_NOT_JWS;
  const header = protectedHeader(assertion);
  if (header === undefined) return R.ASSERTION_NOT_JWS;
  const claims = claimsOf(assertion);
  if (claims === undefined) return R.ASSERTION_NOT_JWS;

  // 2. The kid names a registered key.
  const kid = header['kid'];
  const keyRecord = typeof kid === 'string' ? state.keys.get(kid) : undefined;
  if (!keyRecord) return R.ASSERTION_UNKNOWN_KID;

  // 3. RS256, typ JWT, and a signature that verifies with that key.
  if (header['alg'] !== 'RS256') return R.ASSERTION_BAD_ALG;
  if (header['typ'] !== 'JWT') return R.ASSERTION_BAD_TYP;
  if (!signatureVerifies(assertion, header, keyRecord.key)) return R.ASSERTION_BAD_SIGNATURE;

  // 4. Issued by the channel that owns the key.
  const channelId = keyRecord.channelId;
  if (claims['iss'] !== channelId || claims['sub'] !== channelId) return R.ASSERTION_BAD_ISS;

  // 5. For LINE, and nobody else.
  if (claims['aud'] !== LINE_ASSERTION_AUDIENCE) return R.ASSERTION_BAD_AUD;

  // 6. Not expired, and at most 30 minutes ahead.
  const exp = integerClaim(claims['exp']);
  const nowSec = Math.floor(nowMs / 1000);
  if (exp === undefined || exp <= nowSec || exp > nowSec + MAX_ASSERTION_LIFETIME_SEC) {
    return R.ASSERTION_BAD_EXP;
  }
  return { channelId, claims };
}

/** Whether a verification result is a refusal. */
export function isRefusal(result: VerifiedAssertion | R.Answer): result is R.Answer {
  return 'status' in result;
}

/** The `token_exp` claim when it is an integer in 1..30 days, else undefined. */
export function tokenExpSec(claims: Record<string, unknown>): number | undefined {
  const value = integerClaim(claims['token_exp']);
  return value !== undefined && value >= 1 && value <= MAX_TOKEN_EXP_SEC ? value : undefined;
}
