/**
 * Turns the PEM texts users hold into RSA JWK members (read straight from the DER, no
 * WebCrypto round trip), refusing the rest with a message that says what the block is and what to do. Messages name the PEM
 * label and never quote the body.
 *
 * @module
 */
import { InvalidKeyError } from '../../errors.js';
import { encode as encodeBase64url } from 'jose/base64url';
import {
  assertPkcs1Shape,
  DerError,
  OID_RSA_ENCRYPTION,
  pkcs8AlgorithmOid,
  readElement,
} from '../../internal/asn1.js';
import { refuseKeyType, refusePublicKey } from './refusals.js';

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

const PRIVATE_LABELS = new Set([
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'ENCRYPTED PRIVATE KEY',
  'EC PRIVATE KEY',
  'DSA PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
]);

const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE', 'SSH2 PUBLIC KEY']);

// Algorithm OIDs (hex of the DER content) a PKCS#8 block may name, mapped to the key kind
// shown to the user. RFC 5480 (EC), RFC 8410 (Ed25519 and friends), RFC 4055 (RSA-PSS).
const PKCS8_KINDS: Record<string, string> = {
  '2a8648ce3d0201': 'EC',
  '2b6570': 'OKP (Ed25519)',
  '2b6571': 'OKP (Ed448)',
  '2b656e': 'OKP (X25519)',
  '2b656f': 'OKP (X448)',
  '2a864886f70d01010a': 'RSA-PSS',
  '2a8648ce380401': 'DSA',
};

function malformed(reason: string): InvalidKeyError {
  return new InvalidKeyError(
    `privateKey is not a well-formed PEM: ${reason}. Copy the whole file again, BEGIN and END lines included`,
  );
}

/** Decodes the base64 body of a PEM block, skipping RFC 1421 header lines. */
function decodeBody(body: string): Uint8Array {
  const base64 = body
    .split(/\r?\n/)
    .filter((line) => !line.includes(':'))
    .join('')
    .replace(/\s+/g, '');
  if (base64 === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw malformed('its body is not valid base64');
  }
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const RSA_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const;

/** The private JWK members a PEM holds, base64url, as {@link importRsaPrivateJwk} takes them. */
export type RsaJwkMembers = { kty: 'RSA' } & Record<(typeof RSA_MEMBERS)[number], string>;

/**
 * Reads the eight integers of a PKCS#1 `RSAPrivateKey` (RFC 8017 §A.1.2) as JWK members,
 * so a PEM key goes through the same checks and the same single import as a JWK (it used
 * to be imported, exported and imported again).
 */
function rsaPrivateKeyMembers(der: Uint8Array, start: number, end: number): RsaJwkMembers {
  const key = readElement(der, start, end);
  if (key.tag !== 0x30) throw new DerError('RSAPrivateKey is not a SEQUENCE');
  const version = readElement(der, key.start, key.end);
  if (version.tag !== 0x02) throw new DerError('no version');
  if (version.end - version.start !== 1 || der[version.start] !== 0) {
    throw new InvalidKeyError(
      'privateKey PEM is a multi-prime RSA key, which WebCrypto cannot import: make a new RS256 key with `line-token keygen`',
    );
  }
  const members: Partial<RsaJwkMembers> = { kty: 'RSA' };
  let offset = version.end;
  for (const name of RSA_MEMBERS) {
    const integer = readElement(der, offset, key.end);
    if (integer.tag !== 0x02 || integer.end === integer.start) throw new DerError('not an INTEGER');
    let first = integer.start;
    // DER prepends a 0x00 to keep a positive integer positive; JWK members carry none.
    while (first < integer.end - 1 && der[first] === 0) first++;
    members[name] = encodeBase64url(der.subarray(first, integer.end));
    offset = integer.end;
  }
  return members as RsaJwkMembers;
}

/** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo (RFC 5208 §5): its OCTET STRING. */
function pkcs8PrivateKeyMembers(der: Uint8Array): RsaJwkMembers {
  const info = readElement(der, 0);
  const version = readElement(der, info.start, info.end);
  const algorithm = readElement(der, version.end, info.end);
  const octets = readElement(der, algorithm.end, info.end);
  if (octets.tag !== 0x04) throw new DerError('no private key OCTET STRING');
  return rsaPrivateKeyMembers(der, octets.start, octets.end);
}

/**
 * Finds the private key in a PEM text, PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1
 * (`BEGIN RSA PRIVATE KEY`), and returns its RSA members as JWK members.
 *
 * @throws InvalidKeyError for public keys, certificates, encrypted keys, non-RSA keys and
 *   malformed blocks.
 */
export function pemToRsaJwk(text: string): RsaJwkMembers {
  const blocks = [...text.matchAll(BLOCK)].map((m) => ({ label: m[1] ?? '', body: m[2] ?? '' }));
  if (blocks.length === 0) {
    throw malformed('it has a BEGIN line without a matching END line (truncated copy?)');
  }
  // A file may hold a certificate chain next to the key; the private block is what we need.
  const block = blocks.find((b) => PRIVATE_LABELS.has(b.label)) ?? blocks[0]!;
  const { label, body } = block;

  if (PUBLIC_LABELS.has(label)) {
    throw refusePublicKey(`PEM "${label}"`);
  }
  if (label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,\s*ENCRYPTED/i.test(body)) {
    throw new InvalidKeyError(
      'privateKey is an encrypted PEM, which cannot be used without its passphrase: decrypt it first, e.g. `openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-plain.pem`, and keep the result private (mode 0600)',
    );
  }
  if (label === 'OPENSSH PRIVATE KEY') {
    throw new InvalidKeyError(
      'privateKey is an OpenSSH private key: convert it to PKCS#8 first (`ssh-keygen -p -m PKCS8 -f KEYFILE`), or make a new RS256 key with `line-token keygen`',
    );
  }
  if (label === 'EC PRIVATE KEY') throw refuseKeyType('EC');
  if (label === 'DSA PRIVATE KEY') throw refuseKeyType('DSA');
  if (label !== 'PRIVATE KEY' && label !== 'RSA PRIVATE KEY') {
    throw new InvalidKeyError(
      `privateKey is a PEM "${label}" block, which is not a private key: pass a PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY") PEM`,
    );
  }

  const der = decodeBody(body);
  try {
    if (label === 'RSA PRIVATE KEY') {
      assertPkcs1Shape(der);
      return rsaPrivateKeyMembers(der, 0, der.length);
    }
    const oid = pkcs8AlgorithmOid(der);
    if (oid !== OID_RSA_ENCRYPTION) throw refuseKeyType(PKCS8_KINDS[oid] ?? 'non-RSA');
    return pkcs8PrivateKeyMembers(der);
  } catch (err) {
    if (err instanceof DerError) throw malformed(`its body is not a valid ${label} structure`);
    throw err;
  }
}
