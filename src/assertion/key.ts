/**
 * The public face of key import: {@link importPrivateKey} and the opaque
 * {@link AssertionKey} handle it returns.
 *
 * @module
 */
import { SIGNING_NAME } from '#signing';
import { loadKey } from './internal/cache.js';
import type { KeyState } from './internal/jwk.js';
import type { WebCryptoKey as CryptoKey } from '../internal/web-types.js';

/**
 * A private key in any form users hold it:
 *
 * - a string: the private JWK as JSON text (seed shape with `kid`/`alg`/`use` is fine), the
 *   browser snippet's `{"privateKey": {...}, "publicKey": {...}}` JSON, or a PKCS#8
 *   (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) PEM text — the contents,
 *   not a file path;
 * - an object: a private JWK, `{ privateKey, publicKey }` (including a WebCrypto
 *   `CryptoKeyPair`), a `CryptoKey` or a Node `KeyObject`.
 *
 * The key must be RSA with a modulus of 2048 bits or more (LINE signs with RS256).
 */
export type PrivateKeyInput = string | object | CryptoKey;

/**
 * An imported private key: imported and checked once, reusable for any number of
 * assertions. Opaque: it shows its size and the JWK's `kid` (if the JWK had one), never
 * the key. Get one from {@link importPrivateKey}.
 */
export interface AssertionKey {
  /** The RSA modulus size in bits, e.g. 2048. */
  readonly modulusBits: number;
  /**
   * The `kid` the private JWK carried, if any. Informational: the `kid` an assertion
   * needs is the one the LINE Developers Console answered when the public key was
   * registered, which may differ.
   */
  readonly jwkKid: string | undefined;
}

const states = new WeakMap<AssertionKey, KeyState>();
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const SIGNING_KEY = Symbol.for('line-token.signing');

class ImportedAssertionKey implements AssertionKey {
  readonly modulusBits: number;
  readonly jwkKid: string | undefined;
  constructor(state: KeyState) {
    this.modulusBits = state.modulusBits;
    this.jwkKid = state.jwkKid;
    // Which back end signs ('node:crypto' or 'webcrypto'): for the runtime tests and for
    // debugging, outside the typed API and hidden from enumeration.
    Object.defineProperty(this, SIGNING_KEY, { value: SIGNING_NAME });
  }
  toJSON(): Record<string, unknown> {
    return { modulusBits: this.modulusBits, jwkKid: this.jwkKid };
  }
  [inspectSymbol](): string {
    return `AssertionKey ${JSON.stringify(this.toJSON())}`;
  }
}

// One handle per imported state, so importing the same input twice gives the same handle.
const handles = new WeakMap<KeyState, AssertionKey>();

function handleFor(state: KeyState): AssertionKey {
  let handle = handles.get(state);
  if (!handle) {
    handle = Object.freeze(new ImportedAssertionKey(state));
    handles.set(state, handle);
    states.set(handle, state);
  }
  return handle;
}

/** Whether `value` is a handle made by {@link importPrivateKey} (look-alikes are not). */
export function isAssertionKey(value: unknown): value is AssertionKey {
  return typeof value === 'object' && value !== null && states.has(value as AssertionKey);
}

/** The imported key behind a handle, or behind any accepted input (imported, cached). */
export async function keyStateOf(input: unknown): Promise<KeyState> {
  if (isAssertionKey(input)) return states.get(input)!;
  return loadKey(input);
}

/**
 * Imports and checks a private key once, for signing many assertions. Inputs are cached:
 * importing the same object, or the same text, again is cheap.
 *
 * @param input The key in any {@link PrivateKeyInput} form (an AssertionKey is returned as is).
 * @returns An opaque handle to pass as `privateKey`.
 * @throws InvalidKeyError when the key is not an RSA private key of 2048 bits or more, is
 *   public, encrypted, malformed, or looks like a file path. The message never contains
 *   key material.
 *
 * @example
 * ```ts
 * const key = await importPrivateKey(process.env.LINE_ASSERTION_PRIVATE_KEY!);
 * const assertion = await signAssertion({ channelId: '1573163733', kid, privateKey: key });
 * ```
 */
export async function importPrivateKey(input: PrivateKeyInput): Promise<AssertionKey> {
  if (isAssertionKey(input)) return input;
  return handleFor(await loadKey(input));
}
