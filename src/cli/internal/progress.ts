/**
 * What a person sees while the CLI waits on LINE: a line when a request has taken longer
 * than about a second, a line before each retry, and the attempt count when it gives up.
 * Built from the client's own hooks (a `fetch` wrapper and the retry policy's `shouldRetry`
 * and `delay`), so the client itself stays silent. Never prints a URL's query (a v2.1
 * verify carries the token there) or anything else but the method and path.
 *
 * @module
 */
import { DEFAULT_RETRY_LIMIT, type ClientOptions } from '../../client/options.js';
import type { FetchLike } from '../../client/types.js';
import { sleep } from '../../internal/sleep.js';

/** After how long a pending request gets its "waiting" line, in milliseconds. */
export const WAITING_NOTICE_MS = 1_000;

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Whether to print at all (a TTY, or `--verbose`). */
  talk: boolean;
  /** Prints one line on stderr. */
  log: (line: string) => void;
  /** `--timeout` in milliseconds, when given. */
  timeoutMs: number | undefined;
}

/** The client settings and the attempt count of the last operation. */
export interface Progress {
  /** Options for every client (and the manager's) the command makes. */
  readonly clientOptions: Pick<ClientOptions, 'fetch' | 'retry' | 'timeoutMs'>;
  /** Attempts made by the most recent operation so far (0 before any request). */
  readonly attempts: number;
}

function seconds(ms: number): string {
  return ms < 10_000 ? (Math.round(ms / 100) / 10).toString() : Math.round(ms / 1000).toString();
}

function reasonOf(error: { name: string; message: string }): string {
  if (error.name === 'LineTimeoutError') return 'no answer in time';
  if (error.name === 'LineNetworkError') return 'could not reach LINE';
  const status = /HTTP (\d{3})/.exec(error.message)?.[1];
  return status !== undefined ? `LINE answered HTTP ${status}` : 'the request failed';
}

/**
 * The progress reporter of one CLI run.
 *
 * @example
 * ```ts
 * const progress = createProgress({ talk: true, log: console.error, timeoutMs: 2_000 });
 * new ChannelAccessTokenClient({ ...progress.clientOptions });
 * ```
 */
export function createProgress(options: ProgressOptions): Progress {
  const { talk, log } = options;
  let attempts = 0;
  let retrying = false;
  let retryCount = 0;
  let lastReason = '';
  const limit = DEFAULT_RETRY_LIMIT;

  const fetchWithNotice: FetchLike = async (input, init) => {
    // A fetch that follows a retry's delay is that operation's next attempt; any other
    // starts a new operation.
    attempts = retrying ? attempts + 1 : 1;
    retrying = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (talk) {
      const what = `${init.method} ${new URL(input).pathname}`;
      const attempt = attempts > 1 ? `, attempt ${attempts} of ${limit + 1}` : '';
      timer = setTimeout(
        () => log(`line-token: waiting for LINE (${what}${attempt})…`),
        WAITING_NOTICE_MS,
      );
      // The notice alone must never keep a finished CLI alive.
      timer.unref();
    }
    try {
      return await globalThis.fetch(input, init);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    get attempts() {
      return attempts;
    },
    clientOptions: {
      fetch: fetchWithNotice,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      retry: {
        shouldRetry: (context) => {
          retryCount = context.retryCount;
          lastReason = reasonOf(context.error);
          return undefined; // the client's own decision stands
        },
        delay: (ms, signal) => {
          retrying = true;
          if (talk) {
            log(
              `line-token: ${lastReason}; retrying ${ms < 100 ? 'now' : `in ${seconds(ms)} s`}, attempt ${retryCount + 2} of ${limit + 1}`,
            );
          }
          return sleep(ms, signal);
        },
      },
    },
  };
}
