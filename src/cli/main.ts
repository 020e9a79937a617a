#!/usr/bin/env node
/**
 * The `line-token` executable: wires the runner to the real process. SIGINT/SIGTERM abort
 * the running command (the emulator shuts down cleanly); a second signal kills as usual.
 *
 * @module
 */
import { packageVersion } from './internal/version.js';

const args = process.argv.slice(2);
const controller = new AbortController();
const stop = (): void => controller.abort();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// The one-shot call scripts and bug reports make most: answered before the runner, its
// argument parser and its command table load (the same text the runner prints for it).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  await run();
}

async function run(): Promise<void> {
  const { runCli } = await import('./runner.js');
  process.exitCode = await runCli(args, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readStdin,
    signal: controller.signal,
    stderrIsTTY: process.stderr.isTTY === true,
  });
}
// The handlers would otherwise keep a finished CLI from dying on a late signal.
process.removeListener('SIGINT', stop);
process.removeListener('SIGTERM', stop);
