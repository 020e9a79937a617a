/**
 * Turns what a user holds for a private key into key text, without ever quoting it: a
 * file path, the JWK or PEM text itself, the same wrapped in one pair of quotes (what a
 * docker `env_file` leaves), or base64 of either (how many CI systems store secrets).
 *
 * Every message here describes a value, never shows it, unless it is a plausible path.
 *
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { InvalidArgumentError } from '../errors.js';
import { invalidArgument } from '../internal/validate.js';

const KEY_START = /^(\{|-----BEGIN )/;
const BASE64 = /^[A-Za-z0-9+/_=\s-]+$/;

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) {
    return value.slice(1, -1).trim();
  }
  return value;
}

// A PEM pasted into a single-line variable often carries literal "\n" for its line breaks.
function unescapePem(text: string): string {
  return text.startsWith('-----BEGIN ') && !text.includes('\n') && text.includes('\\n')
    ? text.replace(/\\n/g, '\n')
    : text;
}

/**
 * The key text `value` holds inline (JWK or PEM, maybe quoted, maybe base64), or
 * `undefined` when it holds no key and so should be a path.
 *
 * @example
 * ```ts
 * inlineKeyText(`'{"kty":"RSA",...}'`) // '{"kty":"RSA",...}'
 * inlineKeyText('/etc/line/key.json') // undefined
 * ```
 */
export function inlineKeyText(value: string): string | undefined {
  if (typeof value !== 'string') invalidArgument('inlineKeyText', 'value', 'a string', value);
  const text = unquote(value.trim());
  if (KEY_START.test(text)) return unescapePem(text);
  if (text.length >= 64 && BASE64.test(text)) {
    const decoded = unquote(
      Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8').trim(),
    );
    if (KEY_START.test(decoded)) return unescapePem(decoded);
  }
  return undefined;
}

/**
 * Whether `value` cannot be a path a person typed: key text in any form, a line break, or
 * more characters than a path holds. Such a value is described, never quoted.
 */
export function looksLikeKeyMaterial(value: string): boolean {
  if (typeof value !== 'string')
    invalidArgument('looksLikeKeyMaterial', 'value', 'a string', value);
  return (
    inlineKeyText(value) !== undefined ||
    // Cut-off or badly quoted key text: no path starts like a JWK or a PEM.
    /^\s*["']?\s*(\{|-----BEGIN)/.test(value) ||
    /[\r\n]/.test(value) ||
    value.length > 1024
  );
}

/** How a message may refer to `value` given as a path: quoted if it is one, else described. */
export function describePath(value: string): string {
  // eslint-disable-next-line no-control-regex -- a control character is exactly what we look for
  if (looksLikeKeyMaterial(value) || /[\u0000-\u001f]/.test(value) || value.length > 255) {
    return `the value given (${value.length} characters, not a path)`;
  }
  return `"${value}"`;
}

/** Options of {@link readPrivateKeyText}. */
export interface ReadKeyOptions {
  /** Where the value came from, for messages: `--private-key` or the variable's name. */
  origin: string;
  /** Whether the value may hold the key itself (the variable may; a FILE flag may not). */
  inline: boolean;
  /** Told once about a key file group or others can read. */
  warn: (message: string) => void;
  /** What to suggest when key text was given where a path is expected. */
  inlineHint?: string;
}

/**
 * The private key's text from `value`: the inline forms when `inline` allows, else the
 * file at that path (whose content may itself be quoted or base64).
 *
 * @throws `InvalidArgumentError` naming `origin`: key text where a path is
 * expected, a missing or unreadable file, a folder.
 */
export async function readPrivateKeyText(value: string, options: ReadKeyOptions): Promise<string> {
  const { origin } = options;
  if (options.inline) {
    const text = inlineKeyText(value);
    if (text !== undefined) return text;
  } else if (looksLikeKeyMaterial(value)) {
    throw new InvalidArgumentError(
      origin,
      `${origin} takes a file path, but the value given (${value.length} characters) looks like ` +
        `key material, not a path: ${options.inlineHint ?? 'save the key in a file (chmod 600) and pass its path'}`,
    );
  }
  const path = value.trim();
  const shown = describePath(path);
  if (looksLikeKeyMaterial(path)) {
    // Too long or multi-line for a path, yet no key we can read: say so, never quote it.
    throw new InvalidArgumentError(
      origin,
      `${origin} (${path.length} characters) is neither a key we can read (JWK or PEM text, in ` +
        'one pair of quotes, or base64 of either) nor a file path: check that it is complete and quoted at most once',
    );
  }
  let text: string;
  // Read synchronously, as a key file is read once: a few kilobytes from a local disk, where
  // the promise API would start libuv's thread pool and make four round trips through it
  // (about 3 ms of a one-shot `line-token assertion`, bench/startup.bench.ts).
  try {
    const info = statSync(path);
    if (!info.isFile()) {
      throw new InvalidArgumentError(origin, `${origin}: ${shown} is not a file`);
    }
    if ((info.mode & 0o077) !== 0 && process.platform !== 'win32') {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
      options.warn(
        `private key file ${shown} is readable by others (mode ${mode}); restrict it with: chmod 600 ${shown}`,
      );
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw err;
    const code = (err as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : '';
    throw new InvalidArgumentError(
      origin,
      `${origin}: cannot read private key file ${shown}${why ? `: ${why}` : ''}${typeof code === 'string' ? ` (${code})` : ''}`,
      { cause: err },
    );
  }
  return inlineKeyText(text) ?? text;
}
