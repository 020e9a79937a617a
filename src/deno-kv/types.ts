/**
 * The part of `Deno.Kv` the store uses, typed here so the package builds without Deno's
 * types. A real `Deno.Kv` (from `Deno.openKv()`) fits.
 *
 * @module
 */

/** A key as the store writes it: `[prefix, storeKey, 'value' | 'lock']`. */
export type KvKeyLike = readonly string[];

/** An entry read back: `versionstamp` is `null` when the key is absent. */
export interface KvEntryLike {
  readonly value: unknown;
  readonly versionstamp: string | null;
}

/** An atomic operation: checks, then writes, all or nothing. */
export interface KvAtomicLike {
  /** Commits only if each key still has this versionstamp (`null`: still absent). */
  check(...checks: { key: KvKeyLike; versionstamp: string | null }[]): KvAtomicLike;
  /** Writes `value`, expiring after `expireIn` ms. */
  set(key: KvKeyLike, value: unknown, options?: { expireIn?: number }): KvAtomicLike;
  /** Deletes `key`. */
  delete(key: KvKeyLike): KvAtomicLike;
  /** Applies the operation; `ok` is `false` when a check failed and nothing was written. */
  commit(): Promise<{ ok: boolean }>;
}

/** The `Deno.Kv` surface used by {@link DenoKvTokenStore}. */
export interface DenoKvLike {
  /** Reads one entry. */
  get(key: KvKeyLike): Promise<KvEntryLike>;
  /** Reads several entries in one consistent snapshot. */
  getMany(keys: KvKeyLike[]): Promise<KvEntryLike[]>;
  /** Writes `value`, expiring after `expireIn` ms. */
  set(
    key: KvKeyLike,
    value: unknown,
    options?: { expireIn?: number },
  ): Promise<{ ok: boolean; versionstamp: string }>;
  /** Deletes `key`. */
  delete(key: KvKeyLike): Promise<void>;
  /** Starts an atomic check-and-set operation. */
  atomic(): KvAtomicLike;
}
