/**
 * `mkdir -p` that always ends (Node.js only; not reachable from the portable core).
 *
 * Node's `mkdir(dir, { recursive: true })` never settles where a filesystem answers
 * ENOENT for a child of a folder that exists: procfs and sysfs do (`/proc/a/b`), and the
 * recursive walk takes each ENOENT for a missing parent, makes the parent (it exists) and
 * tries again, for ever. Here a second ENOENT once the parent is known to exist is final.
 *
 * @module
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

const codeOf = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

/** Whether `dir` is a folder (or a link to one). */
async function isFolder(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/**
 * Creates `dir` and its missing parents with `mode`; existing folders are left alone.
 * Rejects with the system's error (ENOENT, ENOTDIR, EEXIST for a file in the way, EACCES…)
 * instead of retrying without end.
 */
export async function makeDirs(dir: string, mode = 0o700): Promise<void> {
  try {
    await mkdir(dir, { mode });
    return;
  } catch (err) {
    const code = codeOf(err);
    // Made meanwhile by another process, or there from the start.
    if (code === 'EEXIST' && (await isFolder(dir))) return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    await makeDirs(parent, mode);
  }
  // The parent exists now: an ENOENT here is the filesystem's final answer.
  try {
    await mkdir(dir, { mode });
  } catch (err) {
    if (codeOf(err) === 'EEXIST' && (await isFolder(dir))) return;
    throw err;
  }
}
