/**
 * Runs the CLI in the real process: its arguments, streams and environment. SIGINT and
 * SIGTERM abort the running command (the emulator shuts down cleanly); a second signal
 * kills as usual. Shared by the ES entry (main.ts) and the CommonJS bundle of the light
 * commands (light.ts), so both run a command the same way.
 *
 * @module
 */

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Runs `line-token ...args` and sets the process's exit code. */
export async function runProcess(args: readonly string[]): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    // Loaded here, not at the top, so main.ts can answer --version without the runner.
    const { runCli } = await import('../runner.js');
    process.exitCode = await runCli(args, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      env: process.env,
      readStdin,
      signal: controller.signal,
      stderrIsTTY: process.stderr.isTTY === true,
    });
  } finally {
    // The handlers would otherwise keep a finished CLI from dying on a late signal.
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}
