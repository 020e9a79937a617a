/**
 * The Durable Object a Workers fleet shares: one instance per store key holds the token
 * and the "who issues next" lock, so every isolate of every Worker bound to the namespace
 * agrees on one token.
 *
 * @module
 */
import { invalidArgument } from '../internal/validate.js';
import {
  MAX_WAIT_MS,
  isStoreRequest,
  type StoreRequest,
  type StoreResponse,
} from './internal/protocol.js';

/**
 * The part of a Durable Object's `state` (`ctx`) this class uses: its transactional
 * storage. Typed here so the package needs no Cloudflare types; the runtime's
 * `DurableObjectState` fits.
 */
export interface DurableObjectStateLike {
  readonly storage: {
    /** Reads a stored value (`undefined` when absent). */
    get(key: string): Promise<unknown>;
    /** Stores a value. */
    put(key: string, value: unknown): Promise<void>;
    /** Deletes a value; `true` when there was one. */
    delete(key: string): Promise<boolean>;
  };
}

interface Entry {
  value: string;
  /** Epoch ms on this object's clock after which the entry is gone. */
  deadline: number;
}

interface Lock {
  owner: string;
  deadline: number;
}

const VALUE = 'value:';
const LOCK = 'lock:';

/**
 * The Durable Object class behind {@link DurableObjectTokenStore}. Export it from your
 * Worker under the `class_name` of your `durable_objects` binding; you never call it
 * yourself.
 *
 * Every request runs to its end before the next starts (the runtime's input gate holds
 * other events while storage answers), so the lock's check-and-set is atomic. Values and
 * locks are kept in the object's storage with their deadline, so an evicted object comes
 * back with them; a lock whose deadline passed is free, so a crashed holder blocks no one
 * beyond its TTL. Waiters (`waitForChange`) are held in memory and woken by every write,
 * delete and release.
 *
 * @example
 * ```ts
 * // worker.ts: the binding in wrangler.toml names this class.
 * export { LineTokenDurableObject } from 'line-token/cloudflare';
 * ```
 */
export class LineTokenDurableObject {
  readonly #storage: DurableObjectStateLike['storage'];
  // A version per key, bumped on each change; a fresh id per instance so a restarted object
  // never answers a version an old waiter could mistake for "unchanged".
  readonly #instance = crypto.randomUUID();
  #counter = 0;
  readonly #versions = new Map<string, string>();
  readonly #waiters = new Map<string, Set<() => void>>();

  /** Called by the runtime with the object's state; `env` is not used. */
  constructor(state: DurableObjectStateLike, env?: unknown) {
    void env;
    const storage = (state as Partial<DurableObjectStateLike> | null | undefined)?.storage;
    if (typeof storage !== 'object' || storage === null) {
      invalidArgument('LineTokenDurableObject', 'state', 'the Durable Object state', state);
    }
    this.#storage = storage;
  }

  /** Answers one store request (a JSON POST from {@link DurableObjectTokenStore}). */
  async fetch(request: Request): Promise<Response> {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      body = undefined;
    }
    if (request.method !== 'POST' || !isStoreRequest(body)) {
      return Response.json(
        {
          message:
            'not a line-token store request: only DurableObjectTokenStore talks to this object',
        },
        { status: 400 },
      );
    }
    return Response.json(await this.#answer(body));
  }

  async #answer(req: StoreRequest): Promise<StoreResponse> {
    const { key } = req;
    switch (req.op) {
      case 'get': {
        const entry = await this.#live<Entry>(VALUE + key);
        return { value: entry?.value ?? null, version: this.#version(key) };
      }
      case 'set': {
        if (req.ttlMs <= 0) await this.#storage.delete(VALUE + key);
        else
          await this.#storage.put(VALUE + key, {
            value: req.value,
            deadline: Date.now() + req.ttlMs,
          });
        return { version: this.#changed(key) };
      }
      case 'delete':
        await this.#storage.delete(VALUE + key);
        return { version: this.#changed(key) };
      case 'lock': {
        const held = await this.#live<Lock>(LOCK + key);
        if (held !== undefined || req.ttlMs <= 0) return { ok: false, version: this.#version(key) };
        await this.#storage.put(LOCK + key, { owner: req.owner, deadline: Date.now() + req.ttlMs });
        return { ok: true, version: this.#version(key) };
      }
      case 'release': {
        // Compare-and-delete: a holder whose lock expired (and was taken since) must not free the new holder's.
        const held = await this.#live<Lock>(LOCK + key);
        if (held?.owner !== req.owner) return { ok: false, version: this.#version(key) };
        await this.#storage.delete(LOCK + key);
        return { ok: true, version: this.#changed(key) };
      }
      case 'wait':
        return { ok: await this.#wait(key, req.since, req.timeoutMs), version: this.#version(key) };
    }
  }

  /** The stored record under `name` if its deadline has not passed; an expired one is removed. */
  async #live<T extends { deadline: number }>(name: string): Promise<T | undefined> {
    const record = (await this.#storage.get(name)) as T | undefined;
    if (record === undefined) return undefined;
    if (Date.now() < record.deadline) return record;
    await this.#storage.delete(name);
    return undefined;
  }

  #version(key: string): string {
    let version = this.#versions.get(key);
    if (version === undefined) {
      version = `${this.#instance}:${this.#counter++}`;
      this.#versions.set(key, version);
    }
    return version;
  }

  #changed(key: string): string {
    const version = `${this.#instance}:${this.#counter++}`;
    this.#versions.set(key, version);
    const waiters = this.#waiters.get(key);
    if (waiters !== undefined) for (const wake of [...waiters]) wake();
    return version;
  }

  /** Resolves `true` once `key` changed since `since`, `false` after `timeoutMs`. */
  #wait(key: string, since: string | null, timeoutMs: number): Promise<boolean> {
    if (since !== this.#version(key)) return Promise.resolve(true);
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(key);
      if (waiters === undefined) {
        waiters = new Set();
        this.#waiters.set(key, waiters);
      }
      const set = waiters;
      const done = (changed: boolean): void => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0 && this.#waiters.get(key) === set) this.#waiters.delete(key);
        resolve(changed);
      };
      const wake = (): void => done(true);
      const timer = setTimeout(() => done(false), Math.min(Math.max(0, timeoutMs), MAX_WAIT_MS));
      set.add(wake);
    });
  }
}
