/**
 * Option and argument checks shared by the stores (`line-token/redis`,
 * `line-token/cloudflare`, `line-token/deno-kv`), built on the validation toolkit
 * (./validate.ts) so every store speaks its one message format: the readers of the AES-256-GCM key and the prefix, and the durations and keys of calls.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { custom, withDefault, type Defaulted, type Reader } from './options-spec.js';
import { invalidArgument, invalidOption, MAX_TIMER_MS } from './validate.js';

const AES_256_KEY_BYTES = 32;
const GENERATE_KEY = 'generate one with `openssl rand -base64 32`';

/**
 * The user's encryption key (32 raw bytes or their base64 text) as a private 32-byte copy,
 * or `undefined` when none was given. Messages never show the key, only its length.
 */
export function encryptionKeyBytes(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (value === undefined) return undefined;
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) {
    bytes = value;
  } else if (typeof value === 'string') {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value.trim())) {
      invalidOption(
        'encryptionKey',
        '32 bytes or their base64 text; the text given is not base64',
        value,
        GENERATE_KEY,
      );
    }
    bytes = Uint8Array.from(atob(value.trim()), (c) => c.charCodeAt(0));
  } else {
    invalidOption('encryptionKey', 'a Uint8Array of 32 bytes or their base64 text', value);
  }
  if (bytes.length !== AES_256_KEY_BYTES) {
    throw new InvalidArgumentError(
      'encryptionKey',
      `"encryptionKey" option must be exactly ${AES_256_KEY_BYTES} bytes for AES-256-GCM (got ${bytes.length}); ${GENERATE_KEY}`,
    );
  }
  // A private copy: the caller may reuse or wipe its buffer, and WebCrypto wants an ArrayBuffer.
  const copy = new Uint8Array(AES_256_KEY_BYTES);
  copy.set(bytes);
  return copy;
}

/**
 * A non-empty prefix without whitespace, or the default. With `noBraces`, braces are
 * refused too (a store that adds its own Redis Cluster hash tag).
 */
export function prefixOption(value: unknown, fallback: string, noBraces = false): string {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    /\s/.test(value) ||
    (noBraces && /[{}]/.test(value))
  ) {
    invalidOption(
      'prefix',
      noBraces
        ? 'a non-empty string without whitespace or braces (the store adds its own hash tag)'
        : 'a non-empty string without whitespace',
      value,
    );
  }
  return value;
}

/** The reader of a store's `prefix` option (see {@link prefixOption}). */
export function prefixReader(fallback: string, noBraces = false): Defaulted<string> {
  return withDefault(fallback, (v) => prefixOption(v, fallback, noBraces));
}

/** The reader of a store's `encryptionKey` option (see {@link encryptionKeyBytes}). */
export function encryptionKeyReader(): Reader<Uint8Array<ArrayBuffer> | undefined> {
  return custom((v) => encryptionKeyBytes(v));
}

/**
 * Milliseconds passed to a store call as a whole number (rounded up, so a TTL never ends
 * early), or a clear error naming the store.
 */
export function durationArgument(store: string, name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    invalidArgument(store, name, 'a finite number of milliseconds', value);
  }
  return Math.ceil(value);
}

/** The `ttlMs` of `acquireLock`: a positive number of milliseconds, rounded up. */
export function lockTtlArgument(store: string, ttlMs: number): number {
  const ttl = durationArgument(store, 'ttlMs', ttlMs);
  if (ttl <= 0) invalidArgument(store, 'ttlMs', 'a positive number of milliseconds', ttlMs);
  return ttl;
}

/**
 * The `timeoutMs` of `waitForChange`, rounded up and capped at {@link MAX_TIMER_MS} (a
 * longer timer would fire at once); zero or less means "do not wait".
 */
export function waitTimeoutArgument(store: string, timeoutMs: number): number {
  // Infinity is "wait for the change": the longest timer, not a refusal.
  if (timeoutMs === Number.POSITIVE_INFINITY) return MAX_TIMER_MS;
  return Math.min(durationArgument(store, 'timeoutMs', timeoutMs), MAX_TIMER_MS);
}

/** The `signal` of `waitForChange`: absent, or something with an AbortSignal's members. */
export function signalArgument(store: string, signal: unknown): AbortSignal | undefined {
  const s = signal as Partial<AbortSignal> | null | undefined;
  if (
    s !== undefined &&
    (typeof s !== 'object' ||
      s === null ||
      typeof s.aborted !== 'boolean' ||
      typeof s.addEventListener !== 'function' ||
      typeof s.removeEventListener !== 'function')
  ) {
    invalidArgument(store, 'signal', 'an AbortSignal', signal);
  }
  return s as AbortSignal | undefined;
}

/**
 * A store key: a non-empty string; with `noBraces`, without braces (a store that wraps
 * the key in a Redis Cluster hash tag).
 */
export function storeKeyArgument(store: string, key: string, noBraces = false): string {
  if (typeof key !== 'string' || key.length === 0 || (noBraces && /[{}]/.test(key))) {
    invalidArgument(
      store,
      'key',
      noBraces
        ? 'a non-empty string without braces (the store wraps it in a Redis Cluster hash tag)'
        : 'a non-empty string',
      key,
    );
  }
  return key;
}
