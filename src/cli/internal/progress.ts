/**
 * What a person sees while the CLI waits on LINE: a line when a request has taken longer
 * than about a second, a line before each retry, and the attempt count when it gives up.
 * Built from the client's own hooks (its `telemetry`, which wraps every attempt, and the
 * retry policy's `shouldRetry` and `delay`), so the client itself stays silent and keeps
 * its own transport (Node's keep-alive wire; a `fetch` wrapper would replace it). Never
 * prints a URL's query (a v2.1 verify carries the token there): only the method and path.
 *
 * @module
 */
import { CLIENT_DEFAULTS } from '../../client/defaults.js';
import type { ClientOptions } from '../../client/options.js';
import { sleep } from '../../internal/sleep.js';
import type { Telemetry } from '../../telemetry/types.js';

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
  readonly clientOptions: Pick<ClientOptions, 'telemetry' | 'retry' | 'timeoutMs'>;
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
  let retryCount = 0;
  let lastReason = '';
  const limit = CLIENT_DEFAULTS.retry.limit;

  const notices: Telemetry = {
    async request(request, send) {
      attempts = request.resendCount + 1;
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (talk) {
        const what = `${request.method} ${request.path}`;
        const attempt = attempts > 1 ? `, attempt ${attempts} of ${limit + 1}` : '';
        timer = setTimeout(
          () => log(`line-token: waiting for LINE (${what}${attempt})…`),
          WAITING_NOTICE_MS,
        );
        // The notice alone must never keep a finished CLI alive.
        timer.unref();
      }
      try {
        return await send();
      } finally {
        clearTimeout(timer);
      }
    },
    refresh: (_source, run) => run(),
    store: (store) => store,
    observeQueue: () => () => {},
  };

  return {
    get attempts() {
      return attempts;
    },
    clientOptions: {
      telemetry: notices,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      retry: {
        shouldRetry: (context) => {
          retryCount = context.retryCount;
          lastReason = reasonOf(context.error);
          return undefined; // the client's own decision stands
        },
        delay: (ms, signal) => {
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
