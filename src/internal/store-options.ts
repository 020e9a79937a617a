/**
 * Option checks shared by the stores (`line-token/redis`, `line-token/cloudflare`, `line-token/deno-kv`):
 * the AES-256-GCM key, prefixes and durations, each with an error that says what to do.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

const AES_256_KEY_BYTES = 32;

/**
 * The user's encryption key (32 raw bytes or their base64 text) as a private 32-byte copy,
 * or `undefined` when none was given.
 */
export function encryptionKeyBytes(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (value === undefined) return undefined;
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    bytes = value;
  } else if (typeof value === 'string') {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim())) {
      throw new InvalidArgumentError(
        'encryptionKey',
        '"encryptionKey" option must be 32 bytes or their base64 text (e.g. `openssl rand -base64 32`); the text given is not base64',
      );
    }
    bytes = Uint8Array.from(atob(value.trim()), (c) => c.charCodeAt(0));
  } else {
    throw new InvalidArgumentError(
      'encryptionKey',
      '"encryptionKey" option must be a Uint8Array of 32 bytes or their base64 text',
    );
  }
  if (bytes.length !== AES_256_KEY_BYTES) {
    throw new InvalidArgumentError(
      'encryptionKey',
      `"encryptionKey" option must be exactly ${AES_256_KEY_BYTES} bytes for AES-256-GCM, got ${bytes.length}; generate one with \`openssl rand -base64 32\``,
    );
  }
  // A private copy: the caller may reuse or wipe its buffer, and WebCrypto wants an ArrayBuffer.
  const copy = new Uint8Array(AES_256_KEY_BYTES);
  copy.set(bytes);
  return copy;
}

/** A non-empty prefix without whitespace, or the default. */
export function prefixOption(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0 || /\s/.test(value)) {
    throw new InvalidArgumentError(
      'prefix',
      '"prefix" option must be a non-empty string without spaces',
    );
  }
  return value;
}

/** A positive integer option, or the default. */
export function positiveIntegerOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(name, `"${name}" option must be a positive integer`);
  }
  return value;
}

/** Milliseconds as a whole number (rounded up, so a TTL never ends early), or a clear error. */
export function durationArgument(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(name, `"${name}" must be a finite number of milliseconds`);
  }
  return Math.ceil(value);
}

/** A store key: a non-empty string. */
export function storeKeyArgument(key: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidArgumentError('key', 'store key must be a non-empty string');
  }
  return key;
}
