/**
 * Sends one Redis command with a deadline and turns any failure into a
 * `TokenStoreError` whose message is safe to log.
 *
 * @module
 */
import { TokenStoreError } from '../../errors.js';
import type { RedisClientLike } from '../types.js';

/**
 * Redis replies and client errors can quote a connection URL, and a URL can carry a
 * password (`redis://user:secret@host`). Only a short, redacted summary reaches a message;
 * the original error stays available as `cause` for debugging.
 */
export function safeReason(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  const text = error.message
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^@/\s]*@/gi, '$1***@')
    .replace(/(\bAUTH\b|password)\S*\s+\S+/gi, '$1 ***')
    .slice(0, 200);
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

/**
 * Runs `command` and resolves with its reply, or rejects with a `TokenStoreError` saying
 * what was attempted (`what`), after at most `timeoutMs`.
 */
export async function runCommand(
  client: RedisClientLike,
  timeoutMs: number,
  what: string,
  command: string,
  ...args: (string | number)[]
): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  // An async wrapper so a client that throws synchronously is handled like one that rejects.
  const reply = (async () => client.call(command, ...args))();
  // The command may still settle after we gave up; its late rejection must not go unhandled.
  reply.catch(() => {});
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TokenStoreError(
            `Redis store could not ${what}: no answer within ${timeoutMs} ms (is Redis reachable?)`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([reply, deadline]);
  } catch (error) {
    if (error instanceof TokenStoreError) throw error;
    throw new TokenStoreError(`Redis store could not ${what}: ${safeReason(error)}`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}
