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

// Credentials in text: what a client's own error message may quote (its connection URL, an
// AUTH command). Kept apart so a cause's message can lose them and keep everything else.
const CREDENTIAL_PATTERNS: Array<[RegExp, string]> = [
  // URL credentials: redis://user:password@host, https://token@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1[REDACTED]@'],
  // A password or AUTH argument, as Redis replies and clients quote them.
  [/\b(AUTH|password|passwd|secret)(["']?\s*[:=]?\s*)\S+/gi, '$1$2[REDACTED]'],
];

// Each pattern catches one shape a secret takes in text; the replacement keeps enough
// around it (a URL's scheme and host, a JSON member's name) to stay useful when debugging.
const PATTERNS: Array<[RegExp, string]> = [
  // A quoted value too long or multi-line for a path: `fs` quotes what it was given as a
  // path (`open '<key text>'`), and that may have been a key pasted in the wrong place.
  [/'[^'\n]{256,}'|'[^']*\n[^']*'/g, "'[REDACTED]'"],
  // A PEM block, whole or cut off.
  [/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?(-----END [A-Z0-9 ]+-----|$)/g, '[REDACTED PEM]'],
  ...CREDENTIAL_PATTERNS,
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
  return redactWith(PATTERNS, text);
}

function redactWith(patterns: Array<[RegExp, string]>, text: string): string {
  let out = text;
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}

/**
 * `cause` (an error we are about to chain) with URL credentials and passwords removed from
 * the message and stack of every error in its chain (`cause`, and an `AggregateError`'s
 * `errors`), so `err.cause.message` is as safe to log as `err.message`. Errors are fixed in
 * place, keeping their class and `code`; one whose fields cannot be redefined (frozen) is
 * replaced by a plain `Error` with the cleaned message. Only credentials go: the rest of
 * the text (hosts, paths, codes) is what tells what failed.
 */
export function withoutCredentials(cause: unknown, depth = 0): unknown {
  if (typeof cause === 'string') return redactWith(CREDENTIAL_PATTERNS, cause);
  if (!(cause instanceof Error) || depth >= MAX_DEPTH) return cause;
  const clean = (text: unknown): unknown =>
    typeof text === 'string' ? redactWith(CREDENTIAL_PATTERNS, text) : text;
  const fields: Record<string, unknown> = {
    message: clean(cause.message),
    stack: clean(cause.stack),
  };
  if (cause.cause !== undefined) fields['cause'] = withoutCredentials(cause.cause, depth + 1);
  if (cause instanceof AggregateError && Array.isArray(cause.errors)) {
    const errors = cause.errors.map((e: unknown) => withoutCredentials(e, depth + 1));
    if (errors.some((e, i) => e !== cause.errors[i])) fields['errors'] = errors;
  }
  try {
    for (const [name, value] of Object.entries(fields)) {
      if ((cause as unknown as Record<string, unknown>)[name] === value) continue;
      Object.defineProperty(cause, name, { value, writable: true, configurable: true });
    }
    return cause;
  } catch {
    // A frozen error: a copy that says the same, minus the credentials.
    return Object.assign(new Error(String(fields['message'])), {
      name: cause.name,
      ...(fields['cause'] === undefined ? {} : { cause: fields['cause'] }),
    });
  }
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
