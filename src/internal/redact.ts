/**
 * Keeps secrets out of error causes. Our own messages never hold a secret, but a cause we
 * chain comes from elsewhere: a `fetch` implementation may put the request URL (holding
 * `access_token` or `client_assertion` for the two GET operations) in its message, and
 * an error body might echo what it was sent.
 *
 * @module
 */

const REDACTED = '[REDACTED]';
const MAX_DEPTH = 5;

/** Every form a secret can take on the wire: as is, and percent-encoded in a query or form. */
export function secretForms(secrets: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  // Longest first, so a secret's encoded form is replaced before a shorter form inside it.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of the secret forms replaced. */
export function redactText(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) out = out.split(form).join(REDACTED);
  return out;
}

function mentionsSecret(error: Error, forms: readonly string[]): boolean {
  const texts = [error.message, error.stack ?? ''];
  return texts.some((text) => forms.some((form) => text.includes(form)));
}

/**
 * `error`, or — when it or anything in its cause chain mentions a secret — a copy of
 * the chain with the secrets replaced. The copy keeps each error's `name` and `code`
 * so callers can still tell ECONNREFUSED from ENOTFOUND.
 */
export function redactError(error: unknown, forms: readonly string[], depth = 0): unknown {
  if (!(error instanceof Error) || forms.length === 0 || depth >= MAX_DEPTH) return error;
  const cause = redactError(error.cause, forms, depth + 1);
  if (cause === error.cause && !mentionsSecret(error, forms)) return error;
  const copy = new Error(redactText(error.message, forms), { cause });
  copy.name = error.name;
  copy.stack = redactText(error.stack ?? '', forms);
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string')
    Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  return copy;
}
