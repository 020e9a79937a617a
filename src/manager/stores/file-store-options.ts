// The file store's options (public, re-exported by file-store.ts) and their check, done
// once at construction into a normalized object.
import { InvalidArgumentError } from '../../errors.js';

/** Options of `FileTokenStore` (`line-token/file-store`). */
export interface FileTokenStoreOptions {
  /** The JSON file; created (mode 0600, its missing folders 0700) on the first write. */
  path: string;
  /**
   * Told about damage (an entry set aside, a foreign file moved aside) and a file others
   * can read. Names keys and paths, never a token. Default: `process.emitWarning`.
   *
   * @defaultValue `process.emitWarning`
   */
  onWarning?: (message: string) => void;
  /**
   * The clock TTLs and `acquireLock` deadlines are measured on, epoch ms.
   *
   * @defaultValue `Date.now`
   */
  now?: () => number;
  /**
   * Follow `path` when it is a symbolic link, reading and replacing the file it points to
   * (the link itself is kept). Default `false`: a link is refused with a
   * `TokenStoreError`, since whoever can change the link decides where tokens are written.
   *
   * @defaultValue false
   *
   * @example
   * ```ts
   * new FileTokenStore({ path: '/etc/bot/tokens.json', allowSymlink: true });
   * ```
   */
  allowSymlink?: boolean;
}

/** The options with every default applied. */
export interface CheckedOptions {
  path: string;
  onWarning: (message: string) => void;
  now: () => number;
  allowSymlink: boolean;
}

/** Checks `options`, naming the option that is wrong, and applies the defaults. */
export function checkOptions(options: FileTokenStoreOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'FileTokenStore needs an options object with "path"');
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
  if (options.allowSymlink !== undefined && typeof options.allowSymlink !== 'boolean') {
    throw new InvalidArgumentError('allowSymlink', '"allowSymlink" option must be a boolean');
  }
  return {
    path: options.path,
    onWarning: options.onWarning ?? ((message) => process.emitWarning(message, 'LineTokenWarning')),
    now: options.now ?? Date.now,
    allowSymlink: options.allowSymlink ?? false,
  };
}
