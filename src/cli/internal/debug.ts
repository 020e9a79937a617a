/**
 * Two guards on stderr: `LINE_TOKEN_DEBUG=1`'s report, redacted by the same code as
 * `util.inspect` of our errors, and a filter that replaces every configured secret (the
 * channel secret, key text from the environment or a flag) before a line is written.
 *
 * @module
 */
import { redactText, secretForms } from '../../internal/redact.js';
import { inlineKeyText, looksLikeKeyMaterial } from '../../env/key-text.js';
import { LINE_ENV } from '../../env/names.js';
import { LineTokenError } from '../../errors.js';
import { describeCauseChain, redactSecrets } from '../../internal/safe-text.js';

/**
 * What `LINE_TOKEN_DEBUG=1` adds after the error line: the stack, the safe fields and the
 * cause chain. A foreign error's message and stack are redacted by pattern (they may quote
 * their input); causes always are.
 */
export function debugReport(error: unknown): string {
  if (!(error instanceof Error)) return `thrown: ${typeof error}`;
  const own = error instanceof LineTokenError;
  const stack = error.stack ?? `${error.name}: ${error.message}`;
  const fields = own ? `\n  ${JSON.stringify(error.toJSON())}` : '';
  const chain = describeCauseChain(error);
  return `${own ? stack : redactSecrets(stack)}${fields}${chain ? `\n${chain}` : ''}`;
}

const SECRET_FLAGS = new Set(['--channel-secret', '-s', '--private-key', '-p']);

/** The values given to secret flags, as `--flag VALUE` or `--flag=VALUE`. */
function secretFlagValues(args: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!SECRET_FLAGS.has(name)) continue;
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) continue;
    // A key file's path is named in messages on purpose; only key text is secret.
    if ((name === '--private-key' || name === '-p') && !looksLikeKeyMaterial(value)) continue;
    values.push(value);
  }
  return values;
}

/** Key text and the pieces of it long enough to identify it: PEM lines, JWK members. */
function keyPieces(value: string): string[] {
  const pieces = [value, value.trim()];
  const text = inlineKeyText(value);
  if (text === undefined) return pieces;
  pieces.push(text, ...text.split(/\r?\n|\\n/).filter((line) => line.length >= 16));
  for (const match of text.matchAll(/"([^"]{16,})"/g)) pieces.push(match[1] as string);
  return pieces;
}

/**
 * A stderr writer that replaces every configured secret in what it writes.
 *
 * @example
 * ```ts
 * const errorOut = stderrFilter(args, process.env, (t) => process.stderr.write(t));
 * ```
 */
export function stderrFilter(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  write: (text: string) => void,
): (text: string) => void {
  const secrets: string[] = [];
  const secret = env[LINE_ENV.channelSecret]?.trim();
  if (secret !== undefined && secret.length >= 8) secrets.push(secret);
  const key = env[LINE_ENV.privateKey];
  if (key !== undefined && looksLikeKeyMaterial(key)) secrets.push(...keyPieces(key));
  for (const value of secretFlagValues(args)) secrets.push(...keyPieces(value));
  const forms = secretForms(secrets.filter((s) => s.length >= 8));
  if (forms.length === 0) return write;
  return (text) => write(redactText(text, forms));
}
