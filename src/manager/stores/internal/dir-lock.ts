// A cross-process lock for one host, built on three atomic file-system operations so that
// it can never have two holders while each holder stays within its lease:
//
// - A lock is a folder holding exactly one entry whose NAME is the holder's identity
//   (`<deadline>-<pid>-<nonce>`). The folder is prepared elsewhere with its entry inside
//   and renamed into place, so a lock is never seen half-made: there is no "being created"
//   state for anyone to mistake for a crashed holder.
// - rename(2) of a folder onto an existing folder succeeds only when that folder is empty
//   (POSIX; Windows refuses any existing target, and an empty one is removed first), so
//   two contenders can never both install their folder.
// - Taking over an expired lease removes the holder's entry by its name. unlink(2) of that
//   exact name is a compare-and-delete: if the holder changed meanwhile, the name is gone
//   and the unlink fails, so a takeover can only ever remove the lease it judged expired.
//
// proper-lockfile and npm's lockfile were considered: both judge staleness from mtime and
// then remove the lock by its fixed path (stat, then rmdir/unlink), so two processes that
// both judged one lock stale can remove each other's fresh lock; see docs/file-store.md.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode } from './fs-util.js';

/** A lease on one lock folder; `release` is a no-op once it was taken over. */
export interface LockLease {
  /** The entry name that identifies this holder. */
  readonly owner: string;
  /** Whether this lease is still the lock's holder (false once released or taken over). */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** Who holds a lock folder right now. */
export type LockHolder =
  { state: 'free' } | { state: 'held'; owner: string; deadline: number; pid: number | undefined };

const OWNER_PATTERN = /^(\d+)-(\d+)-[0-9a-f-]{36}$/;
/** Errors rename(2) answers when the target folder exists and is not empty; Windows answers others. */
const TARGET_TAKEN = new Set(
  process.platform === 'win32'
    ? ['ENOTEMPTY', 'EEXIST', 'EPERM', 'EACCES', 'EBUSY']
    : ['ENOTEMPTY', 'EEXIST'],
);
/** Install, take over, install again: more rounds only happen under a storm of takeovers. */
const MAX_ROUNDS = 4;

/** Reads the holder of `lockDir` from its single entry's name. */
export async function readHolder(lockDir: string): Promise<LockHolder> {
  let names: string[];
  try {
    names = await readdir(lockDir);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT') return { state: 'free' };
    throw err;
  }
  const name = names[0];
  if (name === undefined) return { state: 'free' };
  const match = OWNER_PATTERN.exec(name);
  // Something we did not write: never expire it, so a foreign folder can only block, never
  // let two holders in. The store reports it as a lock that stays held.
  if (match === null || names.length > 1) {
    return { state: 'held', owner: name, deadline: Number.POSITIVE_INFINITY, pid: undefined };
  }
  return { state: 'held', owner: name, deadline: Number(match[1]), pid: Number(match[2]) };
}

/**
 * Tries to take the lock folder `lockDir` (inside `parentDir`, which must exist) for
 * `ttlMs` on the clock `now`. Takes over a holder whose deadline has passed. Resolves
 * `undefined` when a live holder has it.
 */
export async function tryLock(
  parentDir: string,
  lockDir: string,
  ttlMs: number,
  now: () => number,
): Promise<LockLease | undefined> {
  // A cheap look first: contenders of a held lock mostly stop here, without preparing.
  const seen = await readHolder(lockDir);
  if (seen.state === 'held' && now() < seen.deadline) return undefined;
  const owner = `${Math.ceil(now() + ttlMs)}-${process.pid}-${randomUUID()}`;
  const prepared = join(parentDir, `.new-${randomUUID()}`);
  await mkdir(prepared, { mode: 0o700 });
  try {
    await writeFile(join(prepared, owner), '', { flag: 'wx', mode: 0o600 });
    for (let round = 0; round < MAX_ROUNDS; round++) {
      try {
        await rename(prepared, lockDir);
        return lease(lockDir, owner);
      } catch (err) {
        if (!TARGET_TAKEN.has(errorCode(err) ?? '')) throw err;
      }
      const holder = await readHolder(lockDir);
      if (holder.state === 'free') {
        // Released (an empty folder). POSIX rename replaces an empty folder; Windows does
        // not, so remove it. rmdir(2) fails on a folder that is not empty: it cannot remove
        // a lock someone installed meanwhile.
        await rmdir(lockDir).catch(() => undefined);
        continue;
      }
      if (now() < holder.deadline) return undefined;
      // Compare-and-delete: removes this exact expired lease or nothing.
      await unlink(join(lockDir, holder.owner)).catch((err: unknown) => {
        if (errorCode(err) !== 'ENOENT') throw err;
      });
    }
    return undefined;
  } finally {
    // Gone after a successful rename; otherwise our unused preparation.
    await rm(prepared, { recursive: true, force: true }).catch(() => undefined);
  }
}

function lease(lockDir: string, owner: string): LockLease {
  return {
    owner,
    async stillHeld() {
      const holder = await readHolder(lockDir);
      return holder.state === 'held' && holder.owner === owner;
    },
    async release() {
      try {
        await unlink(join(lockDir, owner));
      } catch {
        return; // Taken over after our lease ran out: nothing of ours to release.
      }
      // Tidy the empty folder; fails harmlessly if a new holder already moved in.
      await rmdir(lockDir).catch(() => undefined);
    },
  };
}
