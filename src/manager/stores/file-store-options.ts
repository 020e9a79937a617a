// The file store's options (public, re-exported by file-store.ts) and their check, done
// once at construction into a normalized object.
import { quietCallback } from '../../internal/safe-callback.js';
import {
  boolean,
  custom,
  defaultsOf,
  fn,
  readOptions,
  type OptionsSpec,
  type ReadOptions,
} from '../../internal/options-spec.js';
import { functionOption, invalidOption, optionsObject } from '../../internal/validate.js';

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

/** The reader of each option (see internal/options-spec.ts); internal. */
export const FILE_STORE_SPEC = {
  path: custom((path, name): string => {
    if (typeof path !== 'string' || path.trim() === '') {
      invalidOption(name, 'the path of the token file, e.g. ".line-token/tokens.json"', path);
    }
    return path;
  }),
  // A warning hook that throws or rejects has no one left to tell (see safe-callback.ts).
  onWarning: custom((v, name) =>
    quietCallback(
      functionOption<(message: string) => void>(name, v, (message) =>
        process.emitWarning(message, 'LineTokenWarning'),
      ),
    ),
  ),
  now: fn<() => number>(Date.now),
  allowSymlink: boolean(false),
} satisfies OptionsSpec<FileTokenStoreOptions>;

/**
 * The defaults of {@link FileTokenStoreOptions}, read-only: whether a symbolic link at
 * `path` is followed (`allowSymlink`). `now` and `onWarning` default to `Date.now` and
 * `process.emitWarning`.
 *
 * @example
 * ```ts
 * FILE_TOKEN_STORE_DEFAULTS.allowSymlink; // false: a link at `path` is refused
 * ```
 */
export const FILE_TOKEN_STORE_DEFAULTS: Readonly<
  Required<Pick<FileTokenStoreOptions, 'allowSymlink'>>
> = defaultsOf(FILE_STORE_SPEC);

/** The options with every default applied. */
export type CheckedOptions = ReadOptions<typeof FILE_STORE_SPEC>;

/** Checks `options`, naming the option that is wrong, and applies the defaults. */
export function checkOptions(options: FileTokenStoreOptions): CheckedOptions {
  // The path is required: no options at all is refused as such, not as a missing path.
  if (options === undefined) optionsObject('FileTokenStore', null);
  return readOptions(FILE_STORE_SPEC, options, { where: 'FileTokenStore' });
}
