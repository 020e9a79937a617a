/**
 * Turns LINE's terse refusals into a likely cause and a fix. Pure: it reads only the
 * error's status and LINE's texts plus the non-secret context the caller passes, so the
 * token manager can attach it to the error that stops it and `diagnose()` can reuse it.
 * The knowledge itself is {@link adviceFor}'s table, shared with the CLI and the manager.
 *
 * @module
 */
import { adviceFor, type FailureContext } from '../internal/advice.js';
import type { FailureExplanation } from './types.js';

export type { FailureContext } from '../internal/advice.js';

/**
 * The likely cause of a permanent refusal and how to fix it, or `undefined` when the
 * error is not one we can explain (a 5xx, a rate limit, an unknown text).
 *
 * @example
 * ```ts
 * const why = explainLineFailure(err, { channelId: '1573163733', kid, strategy: 'v2.1' });
 * if (why) log.error(`${why.cause}: ${why.fix}`);
 * ```
 */
export function explainLineFailure(
  error: unknown,
  context: FailureContext = {},
): FailureExplanation | undefined {
  const advice = adviceFor(error, context);
  // Only LINE's permanent refusals: a rate limit or a network failure passes on its own.
  if (advice === undefined || !advice.permanent) return undefined;
  return { cause: advice.cause, fix: advice.fix };
}
