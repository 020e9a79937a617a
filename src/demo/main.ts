/**
 * `npm start`: the first command of the quick start. Without LINE credentials in the
 * environment it runs the demo on the embedded emulator; with `LINE_CHANNEL_ID` (and the
 * rest) set it keeps a real token from LINE fresh. The first line says which.
 *
 * Exit codes: 0 done (or stopped by a signal in live mode), 1 a failure at run time,
 * 2 a configuration problem. Errors are one line on stderr; `LINE_TOKEN_DEBUG=1` adds
 * the whole error for a bug report.
 *
 * @module
 */
import { inspect } from 'node:util';
import { runDemo } from './demo-mode.js';
import { DEMO_EXIT, describeFailure, exitCodeFor } from './failure.js';
import { isLiveMode, LIVE_ENV } from './live-config.js';
import { runLive } from './live-mode.js';
import { demoProblems, renderSummary } from './report.js';
import { styleFor } from './timeline.js';

const env = process.env;
const style = styleFor(process.stdout.isTTY === true, env);
// `npm start | head` closes the pipe early: stop writing rather than die with a stack.
let stdoutClosed = false;
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  stdoutClosed = true;
});
const write = (line: string): void => {
  if (!stdoutClosed) process.stdout.write(`${line}\n`);
};
const complain = (line: string): void => {
  process.stderr.write(`line-token: ${line}\n`);
};

async function demo(): Promise<number> {
  write(
    style.bold(
      `line-token demo mode: no ${LIVE_ENV.channelId} in the environment, so this runs on the ` +
        'embedded LINE emulator with a virtual clock (nothing is sent to LINE)',
    ),
  );
  const summary = await runDemo({ write, style });
  for (const line of renderSummary(summary, style)) write(line);
  const problems = demoProblems(summary);
  if (problems.length === 0) return DEMO_EXIT.ok;
  complain(`the demo did not show what it should: ${problems.join('; ')}`);
  return DEMO_EXIT.failure;
}

async function live(): Promise<number> {
  write(
    style.bold(
      `line-token live mode: ${LIVE_ENV.channelId} is set, so this keeps a real token from LINE ` +
        'fresh (the token itself is never printed)',
    ),
  );
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runLive({
      env,
      write,
      warn: (line) => complain(`warning: ${line}`),
      signal: controller.signal,
      style,
    });
    return DEMO_EXIT.ok;
  } finally {
    // A late signal after the shutdown then kills the process as usual.
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}

try {
  process.exitCode = await (isLiveMode(env) ? live() : demo());
} catch (error) {
  complain(describeFailure(error));
  if (env['LINE_TOKEN_DEBUG'] === '1') process.stderr.write(`${inspect(error, { depth: 5 })}\n`);
  process.exitCode = exitCodeFor(error);
}
