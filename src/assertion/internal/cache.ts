/**
 * Imported keys are cached so a caller who passes the same key on every call to
 * `signAssertion` pays the import (parsing, consistency check, WebCrypto import) once.
 *
 * - Objects (JWK, key pair, CryptoKey, KeyObject) are keyed by identity in a WeakMap, so
 *   the cache never keeps a key alive that the caller has dropped. A JWK object mutated
 *   after its first use keeps its first import; pass a new object to change keys.
 * - Strings (JSON or PEM text) are keyed by the text itself in a small LRU map: a lookup
 *   is a hash-map probe (V8 caches a string's hash on the string), where a SHA-256 digest
 *   cost a WebCrypto round trip on every `signAssertion()` call. The map references the
 *   caller's own string (no copy); the imported key it maps to is as secret as the text,
 *   and neither is ever printed.
 *
 * Pending imports are cached too, so concurrent first calls share one import; a failed
 * import is dropped so the same input is checked afresh next time.
 *
 * @module
 */
import type { KeyState } from './jwk.js';
import { resolveKeyInput } from './key-input.js';

/** How many distinct key texts are remembered; a process rarely holds more than a few. */
const MAX_STRING_ENTRIES = 16;

const byObject = new WeakMap<object, Promise<KeyState>>();
const byText = new Map<string, Promise<KeyState>>();

/**
 * Counts real imports and cache hits. Not exported from the package: tests use it to
 * prove a key is parsed once.
 */
export const keyCacheCounters = { imports: 0, hits: 0 };

function importUncached(input: unknown): Promise<KeyState> {
  keyCacheCounters.imports++;
  return resolveKeyInput(input);
}

/** Imports `input`, or returns the import already done (or under way) for the same key. */
export function loadKey(input: unknown): Promise<KeyState> {
  if (typeof input === 'object' && input !== null) return loadKeyObject(input);
  if (typeof input === 'string') return loadKeyText(input);
  return importUncached(input);
}

function loadKeyObject(input: object): Promise<KeyState> {
  const cached = byObject.get(input);
  if (cached) {
    keyCacheCounters.hits++;
    return cached;
  }
  const pending = importUncached(input);
  byObject.set(input, pending);
  pending.catch(() => {
    if (byObject.get(input) === pending) byObject.delete(input);
  });
  return pending;
}

function loadKeyText(input: string): Promise<KeyState> {
  const cached = byText.get(input);
  if (cached) {
    keyCacheCounters.hits++;
    // Re-insert so the map's insertion order is least-recently-used first.
    byText.delete(input);
    byText.set(input, cached);
    return cached;
  }
  // A text that is not a key (a blank one too) is refused, and dropped again below.
  const pending = importUncached(input);
  byText.set(input, pending);
  if (byText.size > MAX_STRING_ENTRIES) {
    const oldest = byText.keys().next().value;
    if (oldest !== undefined) byText.delete(oldest);
  }
  pending.catch(() => {
    if (byText.get(input) === pending) byText.delete(input);
  });
  return pending;
}
