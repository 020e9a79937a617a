/**
 * How a {@link StoredToken} becomes a stored string and back (Redis, Deno KV, Durable Objects): plain JSON, or JSON sealed
 * with AES-256-GCM (WebCrypto) when the store has an encryption key.
 *
 * Sealed format: `lt1.<iv>.<ciphertext+tag>`, both base64url, a fresh random 12-byte IV
 * per write (NIST SP 800-38D §8.2: never reuse an IV under one key), and the full Redis
 * key name as additional authenticated data so a sealed value copied under another key
 * fails to open instead of handing out another channel's token.
 *
 * @module
 */
import { base64url } from 'jose';
import { TokenStoreError } from '../errors.js';
import { isStoredToken, pickStoredToken, type StoredToken } from '../manager/store.js';

const SEALED_PREFIX = 'lt1.';
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes and decodes stored values for one store. */
export class ValueCodec {
  readonly #rawKey: Uint8Array<ArrayBuffer> | undefined;
  #key: Promise<CryptoKey> | undefined;

  constructor(rawKey: Uint8Array<ArrayBuffer> | undefined) {
    this.#rawKey = rawKey;
  }

  /** Whether values are sealed. */
  get encrypted(): boolean {
    return this.#rawKey !== undefined;
  }

  /** The string stored under `redisKey` for `token`: JSON, sealed when the store has a key. */
  async encode(redisKey: string, token: StoredToken): Promise<string> {
    const json = JSON.stringify(pickStoredToken(token));
    if (this.#rawKey === undefined) return json;
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
    const sealed = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(redisKey) },
      await this.#cryptoKey(),
      encoder.encode(json),
    );
    return `${SEALED_PREFIX}${base64url.encode(iv)}.${base64url.encode(new Uint8Array(sealed))}`;
  }

  /** The token in `raw`, read from `redisKey`; a `TokenStoreError` for anything it cannot trust. */
  async decode(redisKey: string, raw: string): Promise<StoredToken> {
    const isSealed = raw.startsWith(SEALED_PREFIX);
    let json: string;
    if (this.#rawKey === undefined) {
      if (isSealed) {
        throw new TokenStoreError(
          `the value under "${redisKey}" is encrypted but this store has no "encryptionKey"; give every process of the fleet the same key`,
        );
      }
      json = raw;
    } else {
      if (!isSealed) {
        // Accepting plaintext here would let anyone with write access to Redis plant a token.
        throw new TokenStoreError(
          `the value under "${redisKey}" is not encrypted although this store has an "encryptionKey"; it was written without encryption or by something else, and is ignored`,
        );
      }
      json = await this.#open(redisKey, raw);
    }
    return parseStoredToken(redisKey, json);
  }

  async #open(redisKey: string, raw: string): Promise<string> {
    const parts = raw.slice(SEALED_PREFIX.length).split('.');
    let iv: Uint8Array<ArrayBuffer>;
    let sealed: Uint8Array<ArrayBuffer>;
    try {
      if (parts.length !== 2) throw new TypeError('expected two parts');
      iv = Uint8Array.from(base64url.decode(parts[0]!));
      sealed = Uint8Array.from(base64url.decode(parts[1]!));
      if (iv.length !== IV_BYTES) throw new TypeError('bad IV length');
    } catch (cause) {
      throw new TokenStoreError(`the encrypted value under "${redisKey}" is malformed`, { cause });
    }
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv, additionalData: encoder.encode(redisKey) },
        await this.#cryptoKey(),
        sealed,
      );
      return decoder.decode(plain);
    } catch (cause) {
      throw new TokenStoreError(
        `could not decrypt the value under "${redisKey}": the "encryptionKey" differs from the one that wrote it, or the value was tampered with or moved from another key`,
        { cause },
      );
    }
  }

  #cryptoKey(): Promise<CryptoKey> {
    // Imported once and kept non-extractable; the raw bytes never leave this object.
    this.#key ??= crypto.subtle.importKey('raw', this.#rawKey!, { name: 'AES-GCM' }, false, [
      'encrypt',
      'decrypt',
    ]);
    return this.#key;
  }
}

function parseStoredToken(redisKey: string, json: string): StoredToken {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new TokenStoreError(
      `the value under "${redisKey}" is not JSON: corrupt or written by something else`,
      {
        cause,
      },
    );
  }
  if (!isStoredToken(value)) {
    throw new TokenStoreError(
      `the value under "${redisKey}" is not a stored token: corrupt or written by something else`,
    );
  }
  return pickStoredToken(value);
}
