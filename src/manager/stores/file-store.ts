/**
 * A token store in one JSON file, so a restarted process (a cron job, the CLI, a server
 * after a deploy) reuses its token instead of issuing another, and several processes on
 * one host share it safely. Node.js only: this module is the `line-token/file-store`
 * subpath and never reached from the portable core. What it guarantees, and what it does
 * not: docs/file-store.md.
 *
 * @module line-token/file-store
 */
import { dirname } from 'node:path';
import { TokenStoreError } from '../../errors.js';
import {
  lockTtlArgument,
  signalArgument,
  storeKeyArgument,
  waitTimeoutArgument,
} from '../../internal/store-options.js';
import { invalidArgument } from '../../internal/validate.js';
import { checkOptions, type FileTokenStoreOptions } from './file-store-options.js';
import { isStoredToken, type StoredToken, type TokenLock, type TokenStore } from '../store.js';
import { tryLock } from './internal/dir-lock.js';
import { emptyEntries, parse, serialize, type Entry } from './file-format.js';
import { lockFile, keyLockDir, locksDirOf, lockFingerprint } from './internal/file-lock.js';
import {
  ensureDir,
  errorCode,
  moveAside,
  readIfExists,
  RefusedPath,
  resolveTarget,
  writeAtomically,
} from './internal/fs-util.js';

export { FILE_STORE_LOCK_TTL_MS } from './internal/file-lock.js';
export { FILE_TOKEN_STORE_DEFAULTS, type FileTokenStoreOptions } from './file-store-options.js';

// A TTL of a value or a lock: a lock that expires at once, or a NaN deadline, is a bug.
const STORE = 'FileTokenStore';

/**
 * How far ahead of the reader's clock the writer's may have run before a token is refused
 * (see `get`), ms: NTP corrections of a few seconds pass, a clock stepped back does not.
 */
export const FILE_STORE_CLOCK_TOLERANCE_MS = 60_000;

/** How often `waitForChange` looks at the file, in milliseconds. */
export const FILE_STORE_POLL_INTERVAL_MS = 25;

/**
 * Keeps tokens in a JSON file shared by any number of processes on one host. Every write
 * is a read-modify-write under a cross-process lock, replacing the file atomically (a
 * flushed temporary file renamed over it, mode 0600), so writers of different keys never
 * lose each other's entries and readers, which take no lock, only ever see a whole file.
 *
 * Damage is contained: a malformed entry is reported through `onWarning` by its key and
 * dropped on the next write while every other entry is kept; a file that is not this
 * store's JSON at all is moved aside to `<path>.corrupt-<time>`, never overwritten.
 *
 * Locks live in the folder `<path>.locks` beside the file. The `acquireLock` lock of a
 * crashed holder is taken over once its TTL has passed; the takeover cannot let two
 * holders in. For processes on several hosts, or a network file system, use the Redis
 * store instead.
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
  /** The file this store reads and writes, as given. */
  readonly path: string;
  readonly #onWarning: (message: string) => void;
  readonly #now: () => number;
  readonly #allowSymlink: boolean;
  /** Writes of this process, one after another, so they do not contend for the file lock. */
  #writes: Promise<unknown> = Promise.resolve();
  /** Damage already reported, so each problem is reported once, not on every read. */
  readonly #reported = new Set<string>();

  constructor(options: FileTokenStoreOptions) {
    const checked = checkOptions(options);
    this.path = checked.path;
    this.#onWarning = checked.onWarning;
    this.#now = checked.now;
    this.#allowSymlink = checked.allowSymlink;
  }

  /** The token under `key`, or `undefined` when absent, damaged or past its TTL. */
  async get(key: string): Promise<StoredToken | undefined> {
    storeKeyArgument(STORE, key);
    const parsed = await this.#load(await this.#target());
    if (parsed.kind === 'foreign') {
      // Moved aside under the lock, so the next reader finds a store again.
      await this.#update(() => false);
      return undefined;
    }
    const entry = parsed.entries[key];
    const now = this.#now();
    if (entry === undefined || now >= entry.deadline) return undefined;
    // More life left than the token ever had: it was written on a clock running ahead of
    // this one (a clock stepped back since), so its expiry is not LINE's. Never served.
    const { token } = entry;
    const lifetimeMs = entry.lifetimeMs ?? token.expiresAt - token.issuedAt;
    if (token.expiresAt - now > lifetimeMs + FILE_STORE_CLOCK_TOLERANCE_MS) {
      this.#warnOnce(
        `clock:${key}`,
        `token file ${this.path}: the token under "${key}" was written by a clock running ` +
          `${Math.round((token.expiresAt - lifetimeMs - now) / 1000)} s ahead of this one; it is not used`,
      );
      return undefined;
    }
    return { ...token };
  }

  /** Stores `token` under `key` for `ttlMs` milliseconds; expired entries are dropped on the way. */
  async set(key: string, token: StoredToken, ttlMs: number): Promise<void> {
    storeKeyArgument(STORE, key);
    if (!isStoredToken(token)) invalidArgument(STORE, 'token', 'a stored token', token);
    lockTtlArgument(STORE, ttlMs);
    return this.#update((entries) => {
      entries[key] = {
        token: { ...token },
        deadline: this.#now() + ttlMs,
        lifetimeMs: token.expiresAt - token.issuedAt,
      };
      return true;
    });
  }

  /** Removes `key`. */
  async delete(key: string): Promise<void> {
    storeKeyArgument(STORE, key);
    return this.#update((entries) => {
      if (!(key in entries)) return false;
      delete entries[key];
      return true;
    });
  }

  /** Takes `key`'s lock (a folder in `<path>.locks`) for `ttlMs`; takes over an expired one. */
  async acquireLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    storeKeyArgument(STORE, key);
    lockTtlArgument(STORE, ttlMs);
    const locksDir = await this.#locksDir();
    const lease = await this.#io('could not take the lock of', () =>
      tryLock(locksDir, keyLockDir(locksDir, key), ttlMs, this.#now),
    );
    return lease && { release: () => lease.release() };
  }

  /** Polls the file and `key`'s lock until one changes, `timeoutMs` passes, or abort. */
  async waitForChange(key: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    storeKeyArgument(STORE, key);
    signalArgument(STORE, signal);
    timeoutMs = waitTimeoutArgument(STORE, timeoutMs);
    const target = await this.#target();
    const lockDir = keyLockDir(locksDirOf(target), key);
    const before = await lockFingerprint(target, lockDir);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(FILE_STORE_POLL_INTERVAL_MS, deadline - Date.now())),
      );
      if ((await lockFingerprint(target, lockDir)) !== before) return;
    }
  }

  /** Where the file really is (a symlink refused or followed); see `allowSymlink`. */
  async #target(): Promise<string> {
    try {
      return await resolveTarget(this.path, this.#allowSymlink);
    } catch (err) {
      if (err instanceof RefusedPath) throw new TokenStoreError(err.message);
      throw this.#storeError('could not look up the token file', err);
    }
  }

  async #locksDir(): Promise<string> {
    await this.#io('could not create the folder of', () => ensureDir(dirname(this.path)));
    const locksDir = locksDirOf(await this.#target());
    await this.#io('could not create the lock folder of', () => ensureDir(locksDir));
    return locksDir;
  }

  /** Reads and parses the file, reporting a readable-by-others mode and damaged entries. */
  async #load(target: string): Promise<ReturnType<typeof parse>> {
    const read = await this.#io('could not read', () => readIfExists(target));
    if (read !== undefined && (read.mode & 0o077) !== 0) {
      this.#warnOnce(
        `mode:${read.version}:${read.mode}`,
        `token file ${this.path} is readable by other users; run: chmod 600 ${this.path}`,
      );
    }
    const parsed = parse(read?.text);
    if (parsed.kind === 'entries') {
      for (const key of parsed.damaged) {
        this.#warnOnce(
          `damaged:${read?.version}:${key}`,
          `token file ${this.path}: the entry for key ${JSON.stringify(key)} is damaged; ` +
            'ignoring it (the next write drops it and keeps the other entries)',
        );
      }
    }
    return parsed;
  }

  /**
   * Read-modify-write under the file lock. `change` edits the entries and says whether it
   * changed anything; the file is rewritten only when something changed.
   */
  #update(change: (entries: Record<string, Entry>) => boolean): Promise<void> {
    const run = async (): Promise<void> => {
      const locksDir = await this.#locksDir();
      const target = await this.#target();
      const lease = await this.#io('could not lock', () => lockFile(locksDir));
      try {
        const parsed = await this.#load(target);
        let entries: Record<string, Entry>;
        let dirty: boolean;
        if (parsed.kind === 'foreign') {
          const aside = await this.#io('could not move aside', () =>
            moveAside(target, this.#now()),
          );
          this.#onWarning(
            `token file ${this.path} is not a token file (not JSON, or another format); ` +
              `moved it aside to ${aside} and started an empty store`,
          );
          entries = emptyEntries();
          dirty = false;
        } else {
          entries = parsed.entries;
          dirty = parsed.damaged.length > 0;
        }
        dirty = change(entries) || dirty;
        const now = this.#now();
        for (const [k, entry] of Object.entries(entries)) {
          if (now >= entry.deadline) {
            delete entries[k];
            dirty = true;
          }
        }
        if (!dirty) return;
        // Fencing: a holder stalled past the lock's TTL must not overwrite its successor.
        if (!(await lease.stillHeld())) {
          throw new TokenStoreError(
            `lost the lock of token file ${this.path} while writing (stalled for over its TTL); nothing was written`,
          );
        }
        await this.#io('could not write', () => writeAtomically(target, serialize(entries)));
      } finally {
        await lease.release();
      }
    };
    const next = this.#writes.then(run, run);
    this.#writes = next.catch(() => undefined);
    return next;
  }

  /** Runs a file-system step, turning its failure into a TokenStoreError naming the file. */
  async #io<T>(what: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (err) {
      if (err instanceof TokenStoreError) throw err;
      throw this.#storeError(`${what} the token file`, err);
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
