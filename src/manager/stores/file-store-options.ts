// The file store's options (public, re-exported by file-store.ts) and their check, done
// once at construction into a normalized object.
import { quietCallback } from '../../internal/safe-callback.js';
import {
  booleanOption,
  functionOption,
  invalidOption,
  optionsObject,
  rejectUnknownOptions,
} from '../../internal/validate.js';

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

const FILE_STORE_KEYS = ['path', 'onWarning', 'now', 'allowSymlink'];

/** Checks `options`, naming the option that is wrong, and applies the defaults. */
export function checkOptions(options: FileTokenStoreOptions): CheckedOptions {
  if (options === undefined) optionsObject('FileTokenStore', null);
  const o = optionsObject('FileTokenStore', options);
  rejectUnknownOptions(o, FILE_STORE_KEYS, 'FileTokenStore');
  const path = o['path'];
  if (typeof path !== 'string' || path.trim() === '') {
    invalidOption('path', 'the path of the token file, e.g. ".line-token/tokens.json"', path);
  }
  return {
    path,
    // A warning hook that throws or rejects has no one left to tell (see safe-callback.ts).
    onWarning: quietCallback(
      functionOption<(message: string) => void>('onWarning', o['onWarning'], (message) =>
        process.emitWarning(message, 'LineTokenWarning'),
      ),
    ),
    now: functionOption<() => number>('now', o['now'], Date.now),
    allowSymlink: booleanOption('allowSymlink', o['allowSymlink'], false),
  };
}
