/**
 * Pattern-based redaction for text we did not write: the message of an error we chain as a
 * `cause` (a Redis client quoting its connection URL, `fs` quoting a path that was really
 * a key, `JSON.parse` quoting its input). Our own messages never hold a secret; these
 * patterns are for everything else, and are shared by `util.inspect` of our errors and the
 * CLI's `LINE_TOKEN_DEBUG` output so both redact the same way.
 *
 * @module
 */

const MAX_DEPTH = 5;

// Each pattern catches one shape a secret takes in text; the replacement keeps enough
// around it (a URL's scheme and host, a JSON member's name) to stay useful when debugging.
const PATTERNS: Array<[RegExp, string]> = [
  // A quoted value too long or multi-line for a path: `fs` quotes what it was given as a
  // path (`open '<key text>'`), and that may have been a key pasted in the wrong place.
  [/'[^'\n]{256,}'|'[^']*\n[^']*'/g, "'[REDACTED]'"],
  // A PEM block, whole or cut off.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, '[REDACTED PEM]'],
  // URL credentials: redis://user:password@host, https://token@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1[REDACTED]@'],
  // A password or AUTH argument, as Redis replies and clients quote them.
  [/\b(AUTH|password|passwd|secret)(["']?\s*[:=]?\s*)\S+/gi, '$1$2[REDACTED]'],
  // JWK private members and anything named like a secret or token in JSON or a form.
  [
    /("(?:d|p|q|dp|dq|qi|k|client_secret|client_assertion|access_token|channelSecret|accessToken|privateKey)"\s*:\s*)"[^"]*"/g,
    '$1"[REDACTED]"',
  ],
  [/\b(client_secret|client_assertion|access_token)=[^&\s]+/g, '$1=[REDACTED]'],
  // A JWS or JWT (a v2.1 or stateless token, an assertion).
  [/\beyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[REDACTED JWS]'],
  // A long unbroken run of base64 or hex: a key in base64, a short-lived token, a secret.
  [/[A-Za-z0-9+/_=-]{32,}/g, '[REDACTED]'],
];

/**
 * `text` with everything shaped like a secret replaced: PEM blocks, URL credentials,
 * passwords, JWK private members, JWS tokens and long base64/hex runs.
 *
 * @example
 * ```ts
 * redactSecrets('connect redis://app:hunter2@cache:6379 failed') // 'connect redis://[REDACTED]@cache:6379 failed'
 * ```
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * One line per error in `error`'s cause chain (after the first), as `[cause]: Name (CODE):
 * message`, each message passed through {@link redactSecrets}. Stacks of causes are left
 * out: a frame can quote source text, and the cause's message is what tells what failed.
 */
export function describeCauseChain(error: unknown, indent = '  '): string {
  const lines: string[] = [];
  let cause = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause !== undefined && depth < MAX_DEPTH; depth++) {
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      const label = typeof code === 'string' ? `${cause.name} (${code})` : cause.name;
      lines.push(`${indent}[cause]: ${label}: ${redactSecrets(cause.message)}`);
      cause = cause.cause;
    } else {
      lines.push(`${indent}[cause]: ${typeof cause}`);
      break;
    }
  }
  return lines.join('\n');
}
