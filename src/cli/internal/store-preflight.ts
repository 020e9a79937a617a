/**
 * Checks, before anything is issued, that `line-token token` can read and write its store
 * file. A long-running manager may fall back to its own token when its store fails; a
 * one-shot command would issue a fresh token on every run and keep none, so a cron job
 * would fill the channel's 30 v2.1 slots in 30 runs. Here it fails instead: exit 2, one line
 * naming the path and the reason.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { describePath, looksLikeKeyMaterial } from '../../env/key-text.js';
import { InvalidArgumentError } from '../../errors.js';

const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder, not a file',
  ENOSPC: 'no space left on the device',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
  ENOENT: 'its folder cannot be created there',
  EEXIST: 'a part of the path exists and is not a folder',
};

function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return 'it cannot be used';
  return `${REASONS[code] ?? 'it cannot be used'} (${code})`;
}

function refuse(path: string, reason: string, cause?: unknown): InvalidArgumentError {
  return new InvalidArgumentError(
    '--store',
    `--store ${describePath(path)} cannot be used: ${reason}; nothing was issued. Pass --store with a file in a folder you can write`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Throws unless the store file at `path` can be read (when it exists) and its folder can
 * be created and written: the file store writes a temporary file beside the store and
 * renames it over, and keeps its lock files there.
 *
 * @throws {@link InvalidArgumentError} for `--store`, naming the path and the reason.
 */
export async function checkStoreUsable(path: string): Promise<void> {
  // Key text pasted here would otherwise become folders named after pieces of the key.
  if (looksLikeKeyMaterial(path)) throw refuse(path, 'it looks like key material, not a path');
  const full = resolve(path);
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw refuse(path, 'it is a folder, not a file');
    if (!info.isFile()) throw refuse(path, 'it is not a regular file');
    await access(full, constants.R_OK | constants.W_OK);
    // Reading proves more than access() does for root, and catches a file the kernel serves.
    const handle = await open(full, 'r');
    await handle.close();
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    if ((err as { code?: unknown }).code !== 'ENOENT') throw refuse(path, reasonOf(err), err);
  }
  const folder = dirname(full);
  try {
    await mkdir(folder, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw refuse(path, reasonOf(err), err);
  }
  // access(W_OK) says yes to root even on /proc: only creating a file proves it.
  const probe = `${full}.${randomBytes(6).toString('hex')}.probe`;
  try {
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
  } catch (err) {
    // /proc and the like answer ENOENT to a create in a folder that exists.
    const code = (err as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no file can be created there (ENOENT)' : reasonOf(err);
    throw refuse(path, `its folder takes no new file: ${why}`, err);
  }
  await unlink(probe).catch(() => undefined);
}
