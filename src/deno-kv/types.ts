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
  check(...checks: { key: KvKeyLike; versionstamp: string | null }[]): KvAtomicLike;
  set(key: KvKeyLike, value: unknown, options?: { expireIn?: number }): KvAtomicLike;
  delete(key: KvKeyLike): KvAtomicLike;
  commit(): Promise<{ ok: boolean }>;
}

/** The `Deno.Kv` surface used by {@link DenoKvTokenStore}. */
export interface DenoKvLike {
  get(key: KvKeyLike): Promise<KvEntryLike>;
  getMany(keys: KvKeyLike[]): Promise<KvEntryLike[]>;
  set(
    key: KvKeyLike,
    value: unknown,
    options?: { expireIn?: number },
  ): Promise<{ ok: boolean; versionstamp: string }>;
  delete(key: KvKeyLike): Promise<void>;
  atomic(): KvAtomicLike;
}
