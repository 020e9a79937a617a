// Where the file store keeps its locks, and the wait for the lock that guards each
// read-modify-write of the token file.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TokenStoreError } from '../../../errors.js';
import { readHolder, tryLock, type LockLease } from './dir-lock.js';

/**
 * How long one write may hold the token file's lock before another process may take it
 * over, in milliseconds (real time). A write takes milliseconds; the lease only matters
 * when its holder crashed or was frozen, and then the others wait at most this long.
 */
export const FILE_STORE_LOCK_TTL_MS = 10_000;

/** How long a write waits for the file lock before failing: two full leases. */
const FILE_LOCK_WAIT_MS = 2 * FILE_STORE_LOCK_TTL_MS;
/** Retry delays while waiting, ms: short first (a write is quick), capped so 24 waiters stay cheap. */
const FIRST_RETRY_MS = 1;
const MAX_RETRY_MS = 40;
/** Longer lock folder names are hashed: file names are limited to 255 bytes. */
const MAX_NAME_LENGTH = 200;

/** The folder of locks beside the token file `target`. */
export function locksDirOf(target: string): string {
  return `${target}.locks`;
}

/** The lock folder of `acquireLock(key)`. Never `file`, the write lock's name. */
export function keyLockDir(locksDir: string, key: string): string {
  // encodeURIComponent leaves `*`, which Windows forbids in names.
  const encoded = encodeURIComponent(key).replace(/\*/g, '%2A');
  const name =
    encoded.length <= MAX_NAME_LENGTH
      ? `key-${encoded}`
      : `keyhash-${createHash('sha256').update(key).digest('hex')}`;
  return join(locksDir, name);
}

/** Takes the lock that guards a read-modify-write of the token file, waiting for it. */
export async function lockFile(locksDir: string): Promise<LockLease> {
  const lockDir = join(locksDir, 'file');
  const giveUpAt = Date.now() + FILE_LOCK_WAIT_MS;
  let delay = FIRST_RETRY_MS;
  for (;;) {
    const lease = await tryLock(locksDir, lockDir, FILE_STORE_LOCK_TTL_MS, Date.now);
    if (lease !== undefined) return lease;
    if (Date.now() >= giveUpAt) {
      const holder = await readHolder(lockDir);
      const who =
        holder.state === 'held' && holder.pid !== undefined ? ` by process ${holder.pid}` : '';
      throw new TokenStoreError(
        `the token file stayed locked${who} for ${FILE_LOCK_WAIT_MS} ms; ` +
          `if no process is writing it, remove the folder ${lockDir}`,
      );
    }
    // Jittered, so waiters that woke together do not retry in lockstep.
    await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  }
}

/** Changes when the token file is replaced or `lockDir` changes holder. */
export async function lockFingerprint(target: string, lockDir: string): Promise<string> {
  const file = await stat(target).then(
    (s) => `${s.ino}:${s.mtimeMs}:${s.size}`,
    () => 'none',
  );
  const holder = await readHolder(lockDir).then(
    (h) => (h.state === 'held' ? h.owner : 'free'),
    () => 'unknown',
  );
  return `${file}|${holder}`;
}
