/**
 * Recognises every form a user may hold a private key in and funnels it into
 * {@link importRsaPrivateJwk}: JSON text, PEM text, a JWK object, the browser snippet's
 * `{ privateKey, publicKey }` (or a WebCrypto `CryptoKeyPair`), a CryptoKey, a Node
 * KeyObject. Uncached; the caches live in cache.ts. No `node:` import: a KeyObject is
 * recognised by its `Symbol.toStringTag`, as jose itself does, and handed to jose.
 *
 * @module
 */
import { InvalidKeyError } from '../../errors.js';
import { MIN_RSA_MODULUS_BITS } from '../constants.js';
import { importRsaPrivateJwk, safeLabel, type KeyState } from './jwk.js';
import { pemToRsaJwk } from './pem.js';
import { refuseKeyType, refusePublicKey, refuseSmallRsa } from './refusals.js';

/** What we read from a Node KeyObject without importing `node:crypto`. */
interface KeyObjectLike {
  readonly type: string;
  readonly asymmetricKeyType?: string;
  readonly asymmetricKeyDetails?: { readonly modulusLength?: number };
}

const WHAT_WE_TAKE =
  'a private JWK (object or JSON text), {"privateKey": {...}, "publicKey": {...}}, a PKCS#8 or PKCS#1 PEM text, a CryptoKey or a KeyObject';

function isCryptoKey(value: unknown): value is CryptoKey {
  return (value as { [Symbol.toStringTag]?: unknown })?.[Symbol.toStringTag] === 'CryptoKey';
}

function isKeyObject(value: unknown): value is KeyObjectLike {
  return (value as { [Symbol.toStringTag]?: unknown })?.[Symbol.toStringTag] === 'KeyObject';
}

/**
 * The JWK of a CryptoKey or KeyObject, through jose's export, loaded on first use: the text
 * and JWK forms most users hold never need it, and a one-shot `line-token assertion` then
 * loads none of jose's key code.
 */
async function exportKeyJwk(key: CryptoKey | KeyObjectLike): Promise<Record<string, unknown>> {
  const { exportJWK } = await import('jose/key/export');
  return { ...(await exportJWK(key)) };
}

/**
 * Imports any accepted key form.
 *
 * @throws InvalidKeyError saying what the input is and what to pass instead.
 */
export async function resolveKeyInput(input: unknown, nested = false): Promise<KeyState> {
  if (typeof input === 'string') return resolveString(input, nested);
  if (isCryptoKey(input)) return resolveCryptoKey(input);
  if (isKeyObject(input)) return resolveKeyObject(input);
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    return resolveObject(input as Record<string, unknown>, nested);
  }
  const got = Array.isArray(input) ? 'an array' : input === null ? 'null' : `a ${typeof input}`;
  throw new InvalidKeyError(`privateKey must be ${WHAT_WE_TAKE}, got ${got}`);
}

async function resolveString(input: string, nested: boolean): Promise<KeyState> {
  const text = input.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw refuseJsonText(err);
    }
    return resolveKeyInput(parsed, nested);
  }
  if (text.includes('-----BEGIN')) return resolvePem(text);
  throw refuseText(text);
}

// The refusals of text are built out of line: a fresh process importing a JSON key
// compiles only the lines above.

function refuseJsonText(err: unknown): InvalidKeyError {
  // V8's message quotes the text around the fault, so only the position is kept.
  const position = /at position (\d+)/.exec(String((err as Error).message))?.[1];
  return new InvalidKeyError(
    `privateKey looks like JSON but does not parse${position ? ` (at position ${position})` : ''}: check for a truncated copy, a trailing comma or single quotes`,
  );
}

/** Why `text` (trimmed), neither JSON nor PEM, is not a key, and what to pass instead. */
function refuseText(text: string): InvalidKeyError {
  if (text === '') {
    return new InvalidKeyError(`privateKey is an empty string: pass ${WHAT_WE_TAKE}`);
  }
  if (text.length >= 200 && /^[A-Za-z0-9+/=\s]+$/.test(text)) {
    return new InvalidKeyError(
      'privateKey looks like base64 without its PEM armour: keep the "-----BEGIN PRIVATE KEY-----" and "-----END PRIVATE KEY-----" lines (or the RSA ones) around it',
    );
  }
  if (!/\s/.test(text) && looksLikePath(text)) {
    return new InvalidKeyError(
      'privateKey looks like a file path, not key material: read the file first and pass its contents (e.g. `await readFile(path, "utf8")`); the CLI and LINE_ASSERTION_PRIVATE_KEY take a path',
    );
  }
  return new InvalidKeyError(
    `privateKey is text that is neither JSON nor PEM: pass ${WHAT_WE_TAKE}`,
  );
}

function looksLikePath(text: string): boolean {
  return (
    /^(?:~|\.{1,2})?[\\/]/.test(text) ||
    /^[A-Za-z]:[\\/]/.test(text) ||
    /\.(?:json|jwk|pem|key|txt|der)$/i.test(text)
  );
}

async function resolvePem(text: string): Promise<KeyState> {
  // The members are read from the DER and imported once, through the JWK checks.
  return importRsaPrivateJwk(pemToRsaJwk(text), 'PEM');
}

async function resolveObject(input: Record<string, unknown>, nested: boolean): Promise<KeyState> {
  if (typeof input['kty'] === 'string') return importRsaPrivateJwk(input);
  if (Array.isArray(input['keys'])) {
    throw new InvalidKeyError(
      'privateKey is a JWK Set ({"keys": [...]}): pass the one private JWK inside it',
    );
  }
  if (!nested && ('privateKey' in input || 'publicKey' in input)) {
    const privateKey = input['privateKey'];
    if (privateKey === undefined || privateKey === null) {
      throw refusePublicKey('a {"publicKey"} without "privateKey"');
    }
    const state = await resolveKeyInput(privateKey, true);
    assertSamePair(state, input['publicKey']);
    return state;
  }
  throw new InvalidKeyError(`privateKey is an object that is not a key: pass ${WHAT_WE_TAKE}`);
}

/** The browser snippet stores both halves; a mixed-up file signs with a key LINE never saw. */
function assertSamePair(state: KeyState, publicKey: unknown): void {
  if (typeof publicKey !== 'object' || publicKey === null || state.publicParts === undefined) {
    return;
  }
  const { n, e } = publicKey as Record<string, unknown>;
  if (typeof n !== 'string') return;
  if (n !== state.publicParts.n || e !== state.publicParts.e) {
    throw new InvalidKeyError(
      'privateKey and publicKey are not the two halves of one key pair: the file mixes two keys, so check which public key you registered in the LINE Developers Console',
    );
  }
}

const CRYPTO_KEY_KINDS: Record<string, string> = {
  ECDSA: 'EC',
  ECDH: 'EC',
  Ed25519: 'OKP (Ed25519)',
  Ed448: 'OKP (Ed448)',
  X25519: 'OKP (X25519)',
  X448: 'OKP (X448)',
  'RSA-PSS': 'RSA-PSS',
  'RSA-OAEP': 'RSA-OAEP (encryption)',
};

async function resolveCryptoKey(key: CryptoKey): Promise<KeyState> {
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm>;
  if (key.type === 'secret') throw refuseKeyType(`symmetric (${safeLabel(algorithm.name) ?? '?'})`);
  if (algorithm.name !== 'RSASSA-PKCS1-v1_5') {
    throw refuseKeyType(CRYPTO_KEY_KINDS[algorithm.name ?? ''] ?? 'non-RSA');
  }
  if (key.type !== 'private') throw refusePublicKey('a public CryptoKey');
  const bits = algorithm.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) throw refuseSmallRsa(bits);
  if (algorithm.hash?.name !== 'SHA-256') {
    throw new InvalidKeyError(
      `privateKey is a CryptoKey for RSASSA-PKCS1-v1_5 with ${safeLabel(algorithm.hash?.name) ?? 'another hash'}, but RS256 needs SHA-256: import it with { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }`,
    );
  }
  if (!key.usages.includes('sign')) {
    throw new InvalidKeyError(
      'privateKey is a CryptoKey whose usages do not include "sign": import it with usages ["sign"]',
    );
  }
  if (key.extractable) return importRsaPrivateJwk(await exportKeyJwk(key));
  // A non-extractable key cannot be checked further nor give its public half; it is used
  // as is, and publicJwkForConsole() says why it cannot help.
  return { signingKey: key, modulusBits: bits, publicParts: undefined, jwkKid: undefined };
}

const KEY_OBJECT_KINDS: Record<string, string> = {
  ec: 'EC',
  ed25519: 'OKP (Ed25519)',
  ed448: 'OKP (Ed448)',
  x25519: 'OKP (X25519)',
  x448: 'OKP (X448)',
  'rsa-pss': 'RSA-PSS',
  dsa: 'DSA',
  dh: 'DH',
};

async function resolveKeyObject(key: KeyObjectLike): Promise<KeyState> {
  if (key.type === 'secret') throw refuseKeyType('symmetric');
  if (key.asymmetricKeyType !== 'rsa') {
    throw refuseKeyType(KEY_OBJECT_KINDS[key.asymmetricKeyType ?? ''] ?? 'non-RSA');
  }
  if (key.type !== 'private') throw refusePublicKey('a public KeyObject');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) throw refuseSmallRsa(bits);
  return importRsaPrivateJwk(await exportKeyJwk(key));
}
