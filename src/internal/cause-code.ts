/**
 * The low-level code behind a failure, shared by every part that prints one (CLI, demo,
 * diagnose): fetch reports "fetch failed" and hides the useful part in its causes.
 *
 * @module
 */

/**
 * The first system error code (`ECONNREFUSED`, `ENOTFOUND`...) in an error's cause chain,
 * as ` (CODE)`, or `''` (also when `already` names it, so a message that quotes the code
 * does not repeat it).
 *
 * @example
 * ```ts
 * `${err.message}${causeCode(err.cause, err.message)}` // "fetch failed (ECONNREFUSED)"
 * ```
 */
export function causeCode(cause: unknown, already = ''): string {
  for (let c = cause, depth = 0; c instanceof Error && depth < 5; depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('ERR_LINE_')) {
      // Our own message may name the code already: "(ENOENT) (ENOENT)" helps nobody.
      return already.includes(code) ? '' : ` (${code})`;
    }
    c = c.cause;
  }
  return '';
}
