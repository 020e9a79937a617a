/**
 * The emulator command's `--key FILE[:KID]` flag: splitting it, reading the file and
 * turning any key form users hold into the public JWK the emulator registers.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { publicJwkForConsole } from '../../assertion/index.js';
import { InvalidArgumentError, LineTokenError } from '../../errors.js';

// The part after the last ':' is a kid when it looks like one: a Console kid is a UUID, and
// a suffix holding '/' is part of a path (`./a:b/key.json`), never a kid.
const KID_SUFFIX = /^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}$/;

/** Splits `FILE[:KID]`. */
export function parseKeyFlag(raw: string): { file: string; kid?: string } {
  const at = raw.lastIndexOf(':');
  if (at > 0 && KID_SUFFIX.test(raw.slice(at + 1))) {
    return { file: raw.slice(0, at), kid: raw.slice(at + 1) };
  }
  if (raw.trim() === '') throw new InvalidArgumentError('--key', '--key needs FILE[:KID]');
  return { file: raw };
}

/** The public JWK to register and the kid the file itself names, from a key file's text. */
export async function publicKeyOf(
  file: string,
  text: string,
): Promise<{ publicJwk: object; ownKid?: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined; // PEM, or not a key: publicJwkForConsole says which
  }
  const jwk =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  const ownKid = typeof jwk?.['kid'] === 'string' ? jwk['kid'] : undefined;
  // A public JWK (no private member) is registered as it is, minus its kid.
  if (jwk && jwk['kty'] === 'RSA' && !('d' in jwk) && typeof jwk['n'] === 'string') {
    const { kid: _kid, ...publicJwk } = jwk;
    return { publicJwk, ...(ownKid !== undefined && { ownKid }) };
  }
  try {
    const publicJwk = await publicJwkForConsole(text);
    return { publicJwk, ...(ownKid !== undefined && { ownKid }) };
  } catch (cause) {
    // The key's own message, never its text.
    const why = cause instanceof LineTokenError ? cause.message : 'not a key';
    throw new InvalidArgumentError('--key', `--key ${file} is not a usable RSA key: ${why}`, {
      cause,
    });
  }
}

/** A key file's text; a file that cannot be read is an InvalidArgumentError naming `--key`. */
export async function readKeyFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    throw new InvalidArgumentError(
      '--key',
      `cannot read --key ${file}${typeof code === 'string' ? ` (${code})` : ''}: give the path of a key file, optionally followed by :KID`,
      { cause },
    );
  }
}
