/**
 * Imported keys are cached so a caller who passes the same key on every call to
 * `signAssertion` pays the import (parsing, WebCrypto import, self-test) once.
 *
 * - Objects (JWK, key pair, CryptoKey, KeyObject) are keyed by identity in a WeakMap, so
 *   the cache never keeps a key alive that the caller has dropped. A JWK object mutated
 *   after its first use keeps its first import; pass a new object to change keys.
 * - Strings (JSON or PEM text) are keyed by their SHA-256 digest in a small LRU map, so
 *   the cache never holds the key text itself, only a digest that does not reveal it.
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
const byDigest = new Map<string, Promise<KeyState>>();

/**
 * Counts real imports and cache hits. Not exported from the package: tests use it to
 * prove a key is parsed once.
 */
export const keyCacheCounters = { imports: 0, hits: 0 };

function importUncached(input: unknown): Promise<KeyState> {
  keyCacheCounters.imports++;
  return resolveKeyInput(input);
}

async function digest(text: string): Promise<string> {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let out = '';
  for (const byte of new Uint8Array(hash)) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Imports `input`, or returns the import already done (or under way) for the same key. */
export async function loadKey(input: unknown): Promise<KeyState> {
  if (typeof input === 'object' && input !== null) {
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
  if (typeof input !== 'string' || input.trim() === '') return importUncached(input);

  const id = await digest(input);
  const cached = byDigest.get(id);
  if (cached) {
    keyCacheCounters.hits++;
    // Re-insert so the map's insertion order is least-recently-used first.
    byDigest.delete(id);
    byDigest.set(id, cached);
    return cached;
  }
  const pending = importUncached(input);
  byDigest.set(id, pending);
  if (byDigest.size > MAX_STRING_ENTRIES) {
    const oldest = byDigest.keys().next().value;
    if (oldest !== undefined) byDigest.delete(oldest);
  }
  pending.catch(() => {
    if (byDigest.get(id) === pending) byDigest.delete(id);
  });
  return pending;
}
