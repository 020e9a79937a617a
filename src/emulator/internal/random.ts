/**
 * Randomness and comparisons the emulator's tokens and secrets rely on. Tokens come from the
 * OS CSPRNG so that no test can guess one; nothing here is seeded (faults have their own RNG).
 *
 * @module
 */
import { randomBytes, randomFillSync, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';

// One CSPRNG call fills a pool that many tokens draw from: a randomBytes call per token
// part was the largest fixed cost of minting. Slices are encoded at once and never kept.
const POOL_BYTES = 8192;
const pool = Buffer.alloc(POOL_BYTES);
let poolAt = POOL_BYTES;

/**
 * `n` fresh random bytes (n <= 1024) as a view into the pool: valid only until the next call,
 * so callers copy or encode them straight away. No byte is ever handed out twice.
 */
export function freshBytes(n: number): Buffer {
  if (poolAt + n > POOL_BYTES) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return out;
}

/** A short-lived or long-lived token: 172 base64 characters, like LINE's own. */
export function opaqueToken(): string {
  // 129 bytes encode to exactly 172 characters with no padding; '+' and '/' appear, as in
  // LINE's tokens, which keeps clients honest about URL-encoding them.
  return freshBytes(129).toString('base64');
}

/** LINE's `key_id` of a v2.1 token: 16 random bytes, 22 base64url characters. */
export function tokenKeyId(): string {
  return freshBytes(16).toString('base64url');
}

/** A channel ID in LINE's shape: ten digits, not starting with 0. */
export function channelId(): string {
  return String(randomInt(1_000_000_000, 2_147_483_647));
}

/** A channel secret in LINE's shape: 32 hex digits. */
export function channelSecret(): string {
  return randomBytes(16).toString('hex');
}

/** The Console's key id, and our request ids. */
export function uuid(): string {
  return randomUUID();
}

/** Secret key of the emulator's own HS256 tokens. */
export function hmacSecret(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** A secret's bytes, as {@link secretMatches} compares them. */
export function secretBytes(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

/**
 * Compares a presented secret with a stored one in constant time for a given length. A
 * length mismatch answers at once: it tells only the length, which LINE's channel secrets
 * (32 hex digits) make public anyway, and it spares a hash on the emulator's hot path.
 */
export function secretMatches(presented: string, expected: Buffer): boolean {
  const given = Buffer.from(presented, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
