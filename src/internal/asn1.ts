/**
 * Just enough DER (ITU-T X.690) to tell which kind of key a PEM block holds and to wrap a
 * PKCS#1 RSA key into the PKCS#8 envelope that `jose` (and WebCrypto) can import.
 * Nothing here decodes key material: we only read tags and lengths, compare an algorithm
 * OID, and prepend a fixed header. Never exported from the package.
 *
 * @module
 */

/** Why a DER structure could not be read; the caller turns it into an InvalidKeyError. */
export class DerError extends Error {}

/** One DER element: its tag byte and where its contents sit in the buffer. */
export interface DerElement {
  readonly tag: number;
  /** Offset of the first content byte. */
  readonly start: number;
  /** Offset just past the last content byte. */
  readonly end: number;
}

const TAG_INTEGER = 0x02;
const TAG_OCTET_STRING = 0x04;
const TAG_OID = 0x06;
const TAG_SEQUENCE = 0x30;

/** Reads the element that starts at `offset`, refusing anything that overruns `limit`. */
export function readElement(der: Uint8Array, offset: number, limit = der.length): DerElement {
  const tag = der[offset];
  const first = der[offset + 1];
  if (tag === undefined || first === undefined) throw new DerError('truncated DER');
  let length = first;
  let start = offset + 2;
  if (first & 0x80) {
    // Long form: the low bits say how many length bytes follow (X.690 §8.1.3.5).
    // Four bytes is far more than any key needs; more means garbage.
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new DerError('bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = der[start + i];
      if (byte === undefined) throw new DerError('truncated DER');
      length = length * 256 + byte;
    }
    start += count;
  }
  const end = start + length;
  if (end > limit) throw new DerError('DER length overruns its container');
  return { tag, start, end };
}

/** Reads one element and checks its tag. */
function expect(der: Uint8Array, offset: number, tag: number, limit: number): DerElement {
  const element = readElement(der, offset, limit);
  if (element.tag !== tag) throw new DerError('unexpected DER tag');
  return element;
}

/** DER length bytes for `length` (short form below 128, else long form). */
function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
}

/**
 * The algorithm OID of a PKCS#8 `PrivateKeyInfo` (RFC 5208 §5), as dotted-free hex, so the
 * caller can say "this is an EC key" instead of passing on WebCrypto's vague DataError.
 */
export function pkcs8AlgorithmOid(der: Uint8Array): string {
  // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, ... }
  const info = expect(der, 0, TAG_SEQUENCE, der.length);
  if (info.end !== der.length) throw new DerError('trailing bytes after the key');
  const version = expect(der, info.start, TAG_INTEGER, info.end);
  const algorithm = expect(der, version.end, TAG_SEQUENCE, info.end);
  const oid = expect(der, algorithm.start, TAG_OID, algorithm.end);
  return hex(der.subarray(oid.start, oid.end));
}

/** Checks that `der` is one complete SEQUENCE starting with an INTEGER, as RSAPrivateKey is. */
export function assertPkcs1Shape(der: Uint8Array): void {
  // RSAPrivateKey ::= SEQUENCE { version INTEGER, modulus INTEGER, ... } (RFC 8017 §A.1.2)
  const key = expect(der, 0, TAG_SEQUENCE, der.length);
  if (key.end !== der.length) throw new DerError('trailing bytes after the key');
  const version = expect(der, key.start, TAG_INTEGER, key.end);
  expect(der, version.end, TAG_INTEGER, key.end);
}

/** OID 1.2.840.113549.1.1.1 (rsaEncryption), the algorithm PKCS#8 names for an RSA key. */
export const OID_RSA_ENCRYPTION = '2a864886f70d010101';

/**
 * Wraps a PKCS#1 `RSAPrivateKey` (what `BEGIN RSA PRIVATE KEY` holds) into a PKCS#8
 * `PrivateKeyInfo`, the only private-key PEM form jose imports:
 *
 * ```
 * SEQUENCE {
 *   INTEGER 0                                  -- version
 *   SEQUENCE { OID rsaEncryption, NULL }       -- algorithm (RFC 8017 §A.1: NULL params)
 *   OCTET STRING { <the PKCS#1 DER, unchanged> }
 * }
 * ```
 */
export function wrapPkcs1InPkcs8(pkcs1: Uint8Array): Uint8Array {
  assertPkcs1Shape(pkcs1);
  const version = [TAG_INTEGER, 0x01, 0x00];
  const algorithm = [TAG_SEQUENCE, 0x0d, TAG_OID, 0x09, ...fromHex(OID_RSA_ENCRYPTION), 0x05, 0x00];
  const octetHeader = [TAG_OCTET_STRING, ...encodeLength(pkcs1.length)];
  const innerLength = version.length + algorithm.length + octetHeader.length + pkcs1.length;
  const head = [
    TAG_SEQUENCE,
    ...encodeLength(innerLength),
    ...version,
    ...algorithm,
    ...octetHeader,
  ];
  const out = new Uint8Array(head.length + pkcs1.length);
  out.set(head, 0);
  out.set(pkcs1, head.length);
  return out;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

function fromHex(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i += 2) out.push(parseInt(text.slice(i, i + 2), 16));
  return out;
}
