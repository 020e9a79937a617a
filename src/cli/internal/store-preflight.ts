/**
 * Checks, before anything is issued, that `line-token token` can keep a token in its store
 * file. A long-running manager may fall back to its own token when its store fails; a
 * one-shot command would issue a fresh token on every run and keep none, so a cron job
 * would fill the channel's 30 v2.1 slots in 30 runs. Here it fails instead: exit 2, one line
 * naming the path and the reason.
 *
 * The check ends with a real write: a placeholder record larger than any token LINE issues is
 * stored through the very store the command then uses (same lock folders, same temporary
 * file name, same rename onto the final name) and removed again. An empty probe file proves
 * little: it fits on a full disk, and its name can be shorter than the store's temporary
 * file's, which is what a 230-character name overflows.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { makeDirs } from '../../internal/make-dirs.js';
import { describePath, looksLikeKeyMaterial } from '../../env/key-text.js';
import { InvalidArgumentError, TokenStoreError } from '../../errors.js';
import type { StoredToken, TokenStore } from '../../manager/store.js';
import { parse } from '../../manager/stores/file-format.js';

const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder, not a file',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the file name is too long (the store also writes a longer temporary name)',
  ELOOP: 'too many symbolic links',
  ENOENT: 'no file can be created there',
  EEXIST: 'a part of the path exists and is not a folder',
};

/**
 * Characters of the placeholder token: a v2.1 or stateless token from LINE is well under a
 * kilobyte, so a record this size needs more room than any real one.
 */
const PLACEHOLDER_CHARS = 4096;

/** How long the placeholder may live if the process dies before removing it. */
const PLACEHOLDER_TTL_MS = 60_000;

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function reasonOf(err: unknown): string {
  const code = codeOf(err);
  if (code === undefined) return 'it cannot be used';
  return `${REASONS[code] ?? 'it cannot be used'} (${code})`;
}

const WRITABLE_ADVICE = 'Pass --store with a file in a folder you can write';

function refuse(
  path: string,
  reason: string,
  cause?: unknown,
  advice = WRITABLE_ADVICE,
): InvalidArgumentError {
  return new InvalidArgumentError(
    '--store',
    `--store ${describePath(path)} cannot be used: ${reason}; nothing was issued. ${advice}`,
    cause === undefined ? undefined : { cause },
  );
}

/** Refuses a path that is there but is no regular, readable file this store wrote. */
async function checkExisting(path: string, full: string): Promise<void> {
  let text: string;
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw refuse(path, 'it is a folder, not a file');
    if (!info.isFile()) throw refuse(path, 'it is not a regular file');
    await access(full, constants.R_OK | constants.W_OK);
    // Reading proves more than access() does for root, and catches a file the kernel serves.
    const handle = await open(full, 'r');
    try {
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    if (codeOf(err) === 'ENOENT') return;
    throw refuse(path, reasonOf(err), err);
  }
  // The file store moves a foreign file aside and starts afresh, which is right for a
  // damaged store but not for a `.env` or a key file named by mistake: the user's file
  // would be renamed and every later command using it would fail.
  if (parse(text).kind === 'foreign') {
    throw refuse(
      path,
      'it is not a token store file (not the JSON this command writes); it was left as it is',
      undefined,
      'Pass --store with a new file name, or a file an earlier `line-token token` wrote',
    );
  }
}

/**
 * Creates the folder and an empty file named as the store names its temporary file, so a
 * folder that takes no new file (/proc and the like answer ENOENT) is refused by name
 * before anything is issued.
 */
async function checkFolder(path: string, full: string): Promise<void> {
  const folder = dirname(full);
  try {
    await makeDirs(folder, 0o700);
  } catch (err) {
    throw refuse(path, `its folder cannot be created: ${reasonOf(err)}`, err);
  }
  const probe = join(folder, `.${basename(full)}.${randomUUID()}.tmp`);
  try {
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
  } catch (err) {
    throw refuse(path, `its folder takes no new file: ${reasonOf(err)}`, err);
  }
  await unlink(probe).catch(() => undefined);
}

/**
 * Throws unless `store` (a file store on `path`) can keep a token: the file, when it
 * exists, must be a token store; then a placeholder record as large as a real one is
 * written and removed through `store` itself.
 *
 * @throws {@link InvalidArgumentError} for `--store`, naming the path and the reason.
 */
export async function checkStoreUsable(path: string, store: TokenStore): Promise<void> {
  // Key text pasted here would otherwise become folders named after pieces of the key.
  if (looksLikeKeyMaterial(path)) throw refuse(path, 'it looks like key material, not a path');
  const full = resolve(path);
  await checkExisting(path, full);
  await checkFolder(path, full);
  const key = `line-token-cli-preflight-${randomBytes(6).toString('hex')}`;
  const now = Date.now();
  const placeholder: StoredToken = {
    accessToken: 'x'.repeat(PLACEHOLDER_CHARS),
    expiresAt: now + PLACEHOLDER_TTL_MS,
    issuedAt: now,
    type: 'preflight',
  };
  try {
    await store.set(key, placeholder, PLACEHOLDER_TTL_MS);
    await store.delete(key);
  } catch (err) {
    const cause = err instanceof TokenStoreError ? err.cause : err;
    const reason =
      codeOf(cause) !== undefined
        ? reasonOf(cause)
        : err instanceof TokenStoreError
          ? err.message
          : 'it cannot be used';
    throw refuse(path, `a test write of a token record failed: ${reason}`, err);
  }
}
