/**
 * A token store in one JSON file, so a restarted process (a cron job, the CLI, a server
 * after a deploy) reuses its token instead of issuing another. Node.js only: this module
 * is the `line-token/file-store` subpath and never reached from the portable core.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError, TokenStoreError } from '../../errors.js';
import { isStoredToken, type StoredToken, type TokenLock, type TokenStore } from '../store.js';

/** How often `waitForChange` looks at the file, in milliseconds. */
export const FILE_STORE_POLL_INTERVAL_MS = 25;

/** Options of {@link FileTokenStore}. */
export interface FileTokenStoreOptions {
  /** The JSON file; created (mode 0600, its folder 0700) on the first write. */
  path: string;
  /**
   * Told about a corrupt file (the store then starts fresh) or a file others can read.
   * Never receives a token. Default: `process.emitWarning`.
   */
  onWarning?: (message: string) => void;
  /** The clock TTLs and lock deadlines are measured on, epoch ms. Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  token: StoredToken;
  deadline: number;
}

interface FileShape {
  version: 1;
  entries: Record<string, Entry>;
}

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/** Parses the file's text; `undefined` when it is not the shape this store writes. */
function parse(text: string): FileShape | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { version, entries } = data as Record<string, unknown>;
  if (version !== 1 || typeof entries !== 'object' || entries === null) return undefined;
  const out: Record<string, Entry> = {};
  for (const [key, entry] of Object.entries(entries)) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { token, deadline } = entry as Record<string, unknown>;
    if (!isStoredToken(token) || typeof deadline !== 'number') return undefined;
    out[key] = { token, deadline };
  }
  return { version: 1, entries: out };
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;
}

/**
 * Keeps tokens in a JSON file, written atomically (a temporary file in the same folder,
 * flushed, then renamed over the old one) with mode 0600. A corrupt or half-written file
 * is reported through `onWarning` and treated as empty; the next write replaces it.
 *
 * Locks are lock files beside the store (`<path>.<key>.lock`, created exclusively), so
 * two processes sharing the file (say, overlapping cron runs) agree on who issues. A
 * lock left by a crashed process is taken over once its TTL has passed. For a fleet on
 * several machines, use the Redis store instead.
 *
 * @example
 * ```ts
 * import { FileTokenStore } from 'line-token/file-store';
 * const manager = new TokenManager({
 *   strategy,
 *   store: new FileTokenStore({ path: '.line-token/tokens.json' }),
 * });
 * ```
 */
export class FileTokenStore implements TokenStore {
  /** The file this store reads and writes. */
  readonly path: string;
  readonly #onWarning: (message: string) => void;
  readonly #now: () => number;
  /** Writes of this process, one after another, so two of them never interleave. */
  #writes: Promise<unknown> = Promise.resolve();
  /** Damage already reported, so each problem is reported once, not on every read. */
  readonly #reported = new Set<string>();

  constructor(options: FileTokenStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(
        'options',
        'FileTokenStore needs an options object with "path"',
      );
    }
    if (typeof options.path !== 'string' || options.path.trim() === '') {
      throw new InvalidArgumentError(
        'path',
        '"path" option must be the path of the token file, e.g. ".line-token/tokens.json"',
      );
    }
    if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
      throw new InvalidArgumentError('onWarning', '"onWarning" option must be a function');
    }
    if (options.now !== undefined && typeof options.now !== 'function') {
      throw new InvalidArgumentError('now', '"now" option must be a function returning epoch ms');
    }
    this.path = options.path;
    this.#onWarning =
      options.onWarning ?? ((message) => process.emitWarning(message, 'LineTokenWarning'));
    this.#now = options.now ?? Date.now;
  }

  /** The token under `key`, or `undefined` when absent, past its TTL, or the file is damaged. */
  async get(key: string): Promise<StoredToken | undefined> {
    const entry = (await this.#read()).entries[key];
    if (entry === undefined || this.#now() >= entry.deadline) return undefined;
    return { ...entry.token };
  }

  /** Stores `token` under `key` for `ttlMs` milliseconds; expired entries are dropped on the way. */
  set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      return Promise.reject(
        new InvalidArgumentError('ttlMs', '"ttlMs" must be a positive number of milliseconds'),
      );
    }
    return this.#update((entries) => {
      entries[key] = { token: { ...token }, deadline: this.#now() + ttlMs };
    });
  }

  /** Removes `key`. */
  delete(key: string): Promise<void> {
    return this.#update((entries) => {
      delete entries[key];
    });
  }

  /** Creates `<path>.<key>.lock` exclusively; takes over a lock whose TTL has passed. */
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const lockPath = this.#lockPath(key);
    const owner = randomUUID();
    await this.#ensureDir();
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(lockPath, 'wx', FILE_MODE);
        try {
          await handle.writeFile(JSON.stringify({ owner, deadline: this.#now() + ttlMs }));
        } finally {
          await handle.close();
        }
        return { release: () => this.#release(lockPath, owner) };
      } catch (err) {
        if (errorCode(err) !== 'EEXIST')
          throw this.#storeError('could not create a lock file', err);
      }
      if (!(await this.#lockExpired(lockPath))) return undefined;
      await unlink(lockPath).catch(() => undefined);
    }
    return undefined;
  }

  /** Polls the file and the lock files of `key` until one changes, `timeoutMs` passes, or abort. */
  async waitForChange(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const before = await this.#fingerprint(key);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(FILE_STORE_POLL_INTERVAL_MS, deadline - Date.now())),
      );
      if ((await this.#fingerprint(key)) !== before) return;
    }
  }

  #lockPath(key: string): string {
    return `${this.path}.${encodeURIComponent(key)}.lock`;
  }

  async #lockExpired(lockPath: string): Promise<boolean> {
    try {
      const { deadline } = JSON.parse(await readFile(lockPath, 'utf8')) as { deadline?: unknown };
      return typeof deadline !== 'number' || this.#now() >= deadline;
    } catch (err) {
      // Vanished meanwhile: free. Unreadable or half-written: its writer crashed mid-write.
      return errorCode(err) === 'ENOENT' || err instanceof SyntaxError;
    }
  }

  async #release(lockPath: string, owner: string): Promise<void> {
    try {
      const held = JSON.parse(await readFile(lockPath, 'utf8')) as { owner?: unknown };
      if (held.owner === owner) await unlink(lockPath);
    } catch {
      // Gone or taken over after our TTL: nothing of ours to release.
    }
  }

  async #fingerprint(key: string): Promise<string> {
    const parts = await Promise.all(
      [this.path, this.#lockPath(key)].map((p) =>
        stat(p).then(
          (s) => `${s.mtimeMs}:${s.size}:${s.ino}`,
          () => 'none',
        ),
      ),
    );
    return parts.join('|');
  }

  async #read(): Promise<FileShape> {
    let text: string;
    try {
      const info = await stat(this.path);
      if ((info.mode & 0o077) !== 0) {
        this.#warnOnce(
          `mode:${info.ino}:${info.mode}`,
          `token file ${this.path} is readable by other users; run: chmod 600 ${this.path}`,
        );
      }
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return { version: 1, entries: {} };
      throw this.#storeError('could not read the token file', err);
    }
    const parsed = parse(text);
    if (parsed !== undefined) return parsed;
    this.#warnOnce(
      `corrupt:${text.length}:${text.slice(0, 32)}`,
      `token file ${this.path} is corrupt or half-written; starting fresh (it is replaced on the next write)`,
    );
    return { version: 1, entries: {} };
  }

  #update(change: (entries: Record<string, Entry>) => void): Promise<void> {
    const run = async (): Promise<void> => {
      const { entries } = await this.#read();
      change(entries);
      const now = this.#now();
      for (const [k, entry] of Object.entries(entries))
        if (now >= entry.deadline) delete entries[k];
      await this.#writeAtomically(JSON.stringify({ version: 1, entries } satisfies FileShape));
    };
    const next = this.#writes.then(run, run);
    this.#writes = next.catch(() => undefined);
    return next;
  }

  async #writeAtomically(text: string): Promise<void> {
    await this.#ensureDir();
    const tmp = `${this.path}.${randomUUID()}.tmp`;
    try {
      const handle = await open(tmp, 'wx', FILE_MODE);
      try {
        await handle.writeFile(text);
        // Flushed before the rename, so a crash leaves the old file or the new one, never half of one.
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(tmp, this.path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw this.#storeError('could not write the token file', err);
    }
  }

  async #ensureDir(): Promise<void> {
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: DIR_MODE });
    } catch (err) {
      throw this.#storeError('could not create the token file folder', err);
    }
  }

  #warnOnce(fingerprint: string, message: string): void {
    if (this.#reported.has(fingerprint)) return;
    this.#reported.add(fingerprint);
    this.#onWarning(message);
  }

  #storeError(what: string, cause: unknown): TokenStoreError {
    const code = errorCode(cause);
    return new TokenStoreError(`${what} ${this.path}${code ? ` (${code})` : ''}`, { cause });
  }
}
