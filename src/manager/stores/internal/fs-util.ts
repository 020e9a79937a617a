// File-system steps of the file store: where the file really is, reading it without
// following a symlink, and writing it so a crash leaves the old file or the new one.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, open, readlink, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { makeDirs } from '../../../internal/make-dirs.js';

/** The `code` of a Node.js system error, if any. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

/** Why the store refuses its path; the caller turns it into a TokenStoreError. */
export class RefusedPath extends Error {}

/** Symlink hops followed before giving up, like the kernel's own limit (ELOOP). */
const MAX_LINK_HOPS = 40;

/**
 * The file to read and replace for the store path `path`. A symbolic link is refused
 * unless `allowSymlink`; then its final target is used, so the link itself survives the
 * atomic replace and every process reaching the file by any path shares one lock.
 */
export async function resolveTarget(path: string, allowSymlink: boolean): Promise<string> {
  let current = resolve(path);
  for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
    let info;
    try {
      info = await lstat(current);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
      // Not there yet (or a dangling link's target): its folder may itself be reached
      // through links, which is fine; resolve it so the lock is shared all the same.
      return join(
        await realpath(dirname(current)).catch(() => dirname(current)),
        basename(current),
      );
    }
    if (info.isSymbolicLink()) {
      if (!allowSymlink) {
        throw new RefusedPath(
          `token file ${path} is a symbolic link; refusing to follow it (another user could point it anywhere). ` +
            'Point "path" at the real file, or pass allowSymlink: true if the link is intended',
        );
      }
      current = resolve(dirname(current), await readlink(current));
      continue;
    }
    if (!info.isFile()) {
      throw new RefusedPath(`token file ${path} is not a regular file; point "path" at a file`);
    }
    return join(await realpath(dirname(current)), basename(current));
  }
  throw new RefusedPath(`token file ${path}: too many levels of symbolic links`);
}

/** A file's text with the facts the store checks about it. */
export interface FileRead {
  text: string;
  /** Permission bits, to warn when others can read the tokens. */
  mode: number;
  /** Changes whenever the file is replaced, so a warning about it is given once per version. */
  version: string;
}

/**
 * The text of `file`, or `undefined` when it does not exist. Opened with O_NOFOLLOW where
 * the platform has it, so a symlink swapped in after `resolveTarget` is not read through.
 */
export async function readIfExists(file: string): Promise<FileRead | undefined> {
  const noFollow = constants.O_NOFOLLOW ?? 0;
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | noFollow);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    // One handle for both: the facts describe exactly the text read.
    const info = await handle.stat();
    const text = await handle.readFile('utf8');
    return { text, mode: info.mode, version: `${info.ino}:${info.mtimeMs}:${info.size}` };
  } finally {
    await handle.close();
  }
}

/**
 * Creates `dir` and any missing parents with mode 0700 (existing folders are left alone);
 * rejects, rather than hanging, under /proc and the like (see make-dirs.ts).
 */
export async function ensureDir(dir: string): Promise<void> {
  await makeDirs(dir, 0o700);
}

/**
 * Replaces `file` with `text` atomically: a temporary file in the same folder, mode 0600,
 * flushed, renamed over the old one, then the folder flushed so the rename survives a
 * power cut. A crash at any step leaves the old file or the new one, never half of one.
 */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await syncDir(dirname(file));
}

async function syncDir(dir: string): Promise<void> {
  // Best effort: Windows cannot open a folder for fsync, and the data is already safe
  // from anything short of a power cut.
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // see above
  }
}

/**
 * Moves `file` aside to `<file>.corrupt-<stamp>` (never over an earlier one) and answers
 * the new path. Called under the store's lock, so no other process moves it meanwhile.
 */
export async function moveAside(file: string, at: number): Promise<string> {
  const stamp = new Date(at).toISOString().replace(/[-:]/g, '').replace('.', '');
  for (let n = 0; ; n++) {
    const target = `${file}.corrupt-${stamp}${n === 0 ? '' : `-${n}`}`;
    try {
      await lstat(target);
      continue;
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
    await rename(file, target);
    return target;
  }
}
