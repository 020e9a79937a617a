/**
 * A {@link TokenStore} for Cloudflare Workers: every isolate of every Worker bound to one
 * Durable Object namespace shares one token and one "who issues next" lock, held by
 * {@link LineTokenDurableObject}.
 *
 * @module
 */
import { TokenStoreError } from '../errors.js';
import { custom, defaultsOf, readOptions, type OptionsSpec } from '../internal/options-spec.js';
import {
  durationArgument,
  encryptionKeyReader,
  lockTtlArgument,
  prefixReader,
  storeKeyArgument,
} from '../internal/store-options.js';
import { invalidOption } from '../internal/validate.js';
import type { StoredToken, TokenLock, TokenStore } from '../manager/store.js';
import { ValueCodec } from '../internal/value-codec.js';
import { STORE_URL, type StoreRequest, type StoreResponse } from './internal/protocol.js';

// Names the store in the messages of its argument checks.
const STORE = 'DurableObjectTokenStore';

/**
 * The part of a Durable Object stub the store uses. The runtime's `DurableObjectStub` fits.
 */
export interface DurableObjectStubLike {
  /** Sends one request to the object; the store speaks JSON over POST. */
  fetch(
    input: string,
    init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
  ): Promise<{
    status: number;
    /** The answer's body as text. */
    text(): Promise<string>;
  }>;
}

/**
 * The part of a Durable Object namespace binding (`env.LINE_TOKENS`) the store uses. The
 * runtime's `DurableObjectNamespace` fits; typed here so the package needs no Cloudflare types.
 */
export interface DurableObjectNamespaceLike {
  /** The id of the object named `name` (one object per store key). */
  idFromName(name: string): unknown;
  /** A stub to talk to the object with that id. */
  get(id: never): DurableObjectStubLike;
}

/** Options of {@link DurableObjectTokenStore}. */
export interface DurableObjectTokenStoreOptions {
  /** The Durable Object namespace bound to {@link LineTokenDurableObject}, e.g. `env.LINE_TOKENS`. */
  namespace: DurableObjectNamespaceLike;
  /**
   * Prefix of the object names (`<prefix>:<key>`), to keep several apps apart on one namespace.
   *
   * @defaultValue `'line-token'`
   */
  prefix?: string;
  /**
   * Seals stored tokens with AES-256-GCM under this 32-byte key (raw bytes, or base64 text
   * such as the output of `openssl rand -base64 32`, e.g. a Worker secret), so the object's
   * storage holds no usable bearer token. Every Worker of the fleet needs the same key.
   * Default: none (tokens stored as plain JSON).
   *
   * @defaultValue none (tokens stored as plain JSON)
   */
  encryptionKey?: Uint8Array | string;
}

/** The reader of each option (see internal/options-spec.ts); internal. */
export const DURABLE_OBJECT_STORE_SPEC = {
  namespace: custom((ns, path): DurableObjectNamespaceLike => {
    const n = ns as Partial<DurableObjectNamespaceLike> | undefined;
    if (typeof n?.idFromName !== 'function' || typeof n.get !== 'function') {
      invalidOption(
        path,
        'a Durable Object namespace binding (env.<BINDING>) bound to LineTokenDurableObject',
        ns,
        'check the durable_objects binding in wrangler.toml',
      );
    }
    return ns as DurableObjectNamespaceLike;
  }),
  // One object per store key, named `line-token:<key>`.
  prefix: prefixReader('line-token'),
  encryptionKey: encryptionKeyReader(),
} satisfies OptionsSpec<DurableObjectTokenStoreOptions>;

/**
 * The defaults of {@link DurableObjectTokenStoreOptions}, read-only: the `prefix` of the
 * object names.
 *
 * @example
 * ```ts
 * new DurableObjectTokenStore({ namespace: env.LINE_TOKENS, prefix: `${DURABLE_OBJECT_TOKEN_STORE_DEFAULTS.prefix}-staging` });
 * ```
 */
export const DURABLE_OBJECT_TOKEN_STORE_DEFAULTS: Readonly<
  Required<Pick<DurableObjectTokenStoreOptions, 'prefix'>>
> = defaultsOf(DURABLE_OBJECT_STORE_SPEC);

/**
 * Keeps the manager's token in a Durable Object, so a Workers fleet issues one token per
 * rotation instead of one per isolate. Each call is one request to the object named
 * `<prefix>:<key>`; the lock is taken and released there atomically, and `waitForChange`
 * is a long poll the object answers as soon as the value or lock changes. Optionally
 * seals values with AES-256-GCM, exactly like the Redis store. Every failure is a
 * `TokenStoreError`, so the manager falls back to its own token.
 *
 * @example
 * ```ts
 * import { TokenManager } from 'line-token';
 * import { DurableObjectTokenStore } from 'line-token/cloudflare';
 *
 * const store = new DurableObjectTokenStore({ namespace: env.LINE_TOKENS, encryptionKey: env.TOKEN_STORE_KEY });
 * const manager = new TokenManager({ strategy, store });
 * ```
 */
export class DurableObjectTokenStore implements TokenStore {
  readonly #namespace: DurableObjectNamespaceLike;
  readonly #prefix: string;
  readonly #codec: ValueCodec;
  // The version this store last saw per key: the baseline of `waitForChange`, so a write
  // that lands between the caller's `get` and the wait is not missed.
  readonly #seen = new Map<string, string>();

  constructor(options: DurableObjectTokenStoreOptions) {
    const o = readOptions(DURABLE_OBJECT_STORE_SPEC, options, { where: STORE });
    this.#namespace = o.namespace;
    this.#prefix = o.prefix;
    this.#codec = new ValueCodec(o.encryptionKey);
  }

  /** Whether stored values are sealed with AES-256-GCM. */
  get encrypted(): boolean {
    return this.#codec.encrypted;
  }

  /**
   * The stored token under `key`, or `undefined`. Rejects with a `TokenStoreError` when the
   * object fails or the value cannot be read (corrupt, wrong `encryptionKey`, tampered).
   */
  async get(key: string): Promise<StoredToken | undefined> {
    const name = this.#name(key);
    const { value } = await this.#call(name, { op: 'get', key: name });
    if (value === null || value === undefined) return undefined;
    return this.#codec.decode(name, value);
  }

  /** Stores `token` under `key` for `ttlMs` milliseconds and wakes waiters; zero or less deletes it. */
  async set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    const name = this.#name(key);
    const ttl = durationArgument(STORE, 'ttlMs', ttlMs);
    if (ttl <= 0) return this.delete(key);
    const value = await this.#codec.encode(name, token);
    await this.#call(name, { op: 'set', key: name, value, ttlMs: ttl });
  }

  /** Removes `key` and wakes waiters. */
  async delete(key: string): Promise<void> {
    const name = this.#name(key);
    await this.#call(name, { op: 'delete', key: name });
  }

  /** Tries once to take the lock for `key`, held at most `ttlMs`; `undefined` when another holder has it. */
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const name = this.#name(key);
    const ttl = lockTtlArgument(STORE, ttlMs);
    // A random owner makes release safe: only this holder can free this lock.
    const owner = crypto.randomUUID();
    const { ok } = await this.#call(name, { op: 'lock', key: name, owner, ttlMs: ttl });
    if (ok !== true) return undefined;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.#call(name, { op: 'release', key: name, owner });
      },
    };
  }

  /**
   * Resolves when the value or lock under `key` changed since this store last looked, after
   * `timeoutMs`, or on `signal`. Never rejects: a failure resolves it early, so the
   * caller's next `get` reports the error.
   */
  async waitForChange(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const name = this.#name(key);
    const timeout = durationArgument(STORE, 'timeoutMs', timeoutMs);
    if (timeout <= 0 || signal?.aborted) return;
    const since = this.#seen.get(name) ?? null;
    await this.#call(name, { op: 'wait', key: name, since, timeoutMs: timeout }, signal).catch(
      () => undefined,
    );
  }

  #name(key: string): string {
    return `${this.#prefix}:${storeKeyArgument(STORE, key)}`;
  }

  async #call(name: string, request: StoreRequest, signal?: AbortSignal): Promise<StoreResponse> {
    let status: number;
    let text: string;
    try {
      // A stub per call: stubs belong to the request that made them, and the store outlives requests.
      const stub = this.#namespace.get(this.#namespace.idFromName(name) as never);
      const init: Parameters<DurableObjectStubLike['fetch']>[1] = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
      };
      if (signal !== undefined) init.signal = signal;
      const res = await stub.fetch(STORE_URL, init);
      status = res.status;
      text = await res.text();
    } catch (cause) {
      throw new TokenStoreError(`the Durable Object "${name}" did not answer (${request.op})`, {
        cause,
      });
    }
    let body: Partial<StoreResponse> & { message?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch (cause) {
      throw new TokenStoreError(
        `the Durable Object "${name}" answered HTTP ${status} with no JSON (${request.op}); is the binding's class LineTokenDurableObject?`,
        { cause },
      );
    }
    if (status !== 200 || typeof body.version !== 'string') {
      const message = typeof body.message === 'string' ? `: ${body.message}` : '';
      throw new TokenStoreError(
        `the Durable Object "${name}" refused ${request.op} (HTTP ${status})${message}`,
      );
    }
    this.#seen.set(name, body.version);
    return body as StoreResponse;
  }
}
