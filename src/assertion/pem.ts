/**
 * Turns the PEM texts users hold into the one form jose imports (PKCS#8), refusing the
 * rest with a message that says what the block is and what to do. Messages name the PEM
 * label and never quote the body.
 *
 * @module
 */
import { InvalidKeyError } from '../errors.js';
import {
  DerError,
  OID_RSA_ENCRYPTION,
  pkcs8AlgorithmOid,
  wrapPkcs1InPkcs8,
} from '../internal/asn1.js';
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

/** Re-armours DER as a PKCS#8 PEM, the only private-key text jose's importPKCS8 reads. */
function armourPkcs8(der: Uint8Array): string {
  let binary = '';
  for (const byte of der) binary += String.fromCharCode(byte);
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/**
 * Finds the private key in a PEM text and returns it as PKCS#8 PEM, wrapping PKCS#1
 * (`BEGIN RSA PRIVATE KEY`) on the way.
 *
 * @throws InvalidKeyError for public keys, certificates, encrypted keys, non-RSA keys and
 *   malformed blocks.
 */
export function pemToPkcs8(text: string): string {
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
    if (label === 'RSA PRIVATE KEY') return armourPkcs8(wrapPkcs1InPkcs8(der));
    const oid = pkcs8AlgorithmOid(der);
    if (oid !== OID_RSA_ENCRYPTION) throw refuseKeyType(PKCS8_KINDS[oid] ?? 'non-RSA');
    return armourPkcs8(der);
  } catch (err) {
    if (err instanceof DerError) throw malformed(`its body is not a valid ${label} structure`);
    throw err;
  }
}
