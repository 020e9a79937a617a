/**
 * Sends one Redis command with a deadline and turns any failure into a
 * `TokenStoreError` whose message is safe to log.
 *
 * @module
 */
import { TokenStoreError } from '../../errors.js';
import type { RedisAdapter } from './adapter.js';

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
 * Errors a cluster shows while a master fails over or a node restarts: the slot has no
 * master yet, the old connection closed, the node is loading or was demoted. Retrying
 * them until the command's deadline rides out a failover instead of failing the manager
 * over to a token of its own. Every command the store sends may run twice: reads, the
 * write-and-publish script and the compare-and-delete are idempotent, and a lock `SET NX`
 * that did land answers `null` the second time, which only delays this process.
 */
const TRANSIENT =
  /^(?:CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY)\b|Connection is closed|Socket closed unexpectedly|ECONNREFUSED|ECONNRESET|EPIPE|Failed to refresh slots cache|None of startup nodes is available/i;

/** Pause before retry `attempt` (0-based): 20, 40, 80 ... capped at 200 ms. */
function backoffMs(attempt: number): number {
  return Math.min(200, 20 * 2 ** attempt);
}

/**
 * Runs `args` (a command and its arguments) on the node owning `key` and resolves with
 * its reply, or rejects with a `TokenStoreError` saying what was attempted (`what`),
 * after at most `timeoutMs`. Transient cluster errors are retried within that time.
 */
export async function runCommand(
  adapter: RedisAdapter,
  timeoutMs: number,
  what: string,
  key: string,
  args: (string | number)[],
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Set once the caller has its answer (or gave up): no retry starts after that.
  let over = false;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      over = true;
      reject(
        new TokenStoreError(
          `Redis store could not ${what}: no answer within ${timeoutMs} ms (is Redis reachable?)`,
        ),
      );
    }, timeoutMs);
  });
  expired.catch(() => {});
  const refresh = adapter.refresh;
  const attempt = async (): Promise<unknown> => {
    for (let n = 0; ; n++) {
      try {
        // An async wrapper so a client that throws synchronously is handled like one that rejects.
        const sent = (async () => adapter.send(key, args))();
        if (refresh === undefined) return await sent;
        const answer = await stallBound(sent, stallMs(timeoutMs));
        if (answer !== STALLED) return answer;
        // A client that would wait for a dead node forever: re-read the slot map, send again.
        if (over) throw new Error('stalled');
        await refresh().catch(() => {});
        continue;
      } catch (error) {
        const pause = backoffMs(n);
        if (over || !isTransient(error) || Date.now() + pause >= deadline) throw error;
        if (refresh !== undefined) await refresh().catch(() => {});
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  };
  const reply = attempt();
  // The command may still settle after we gave up; its late rejection must not go unhandled.
  reply.catch(() => {});
  try {
    return await Promise.race([reply, expired]);
  } catch (error) {
    if (error instanceof TokenStoreError) throw error;
    throw new TokenStoreError(`Redis store could not ${what}: ${safeReason(error)}`, {
      cause: error,
    });
  } finally {
    over = true;
    clearTimeout(timer);
  }
}

const STALLED = Symbol('stalled');

/**
 * How long one attempt may go unanswered before a client that can refresh its slot map
 * does so and sends again: an eighth of the command's deadline (250 ms of the default
 * 2 s), so several refreshes fit while a replica is promoted.
 */
function stallMs(timeoutMs: number): number {
  return Math.max(100, Math.floor(timeoutMs / 8));
}

/** `sent`'s answer, or {@link STALLED} when it has none within `ms`. */
async function stallBound(sent: Promise<unknown>, ms: number): Promise<unknown> {
  // The stalled command may still settle after we moved on; never unhandled.
  sent.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      sent,
      new Promise((resolve) => (timer = setTimeout(() => resolve(STALLED), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function isTransient(error: unknown): boolean {
  return error instanceof Error && TRANSIENT.test(error.message);
}
