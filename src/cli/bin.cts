#!/usr/bin/env node
/**
 * The `line-token` executable that package.json's `bin` names. CommonJS on purpose: a
 * fresh Node process starts an ES module entry about 5 ms slower than `node -e 0` (the ES
 * loader), and one that prints through `process.stdout` sets up a stream first; this file
 * answers `--version` with neither, runs the light commands from their CommonJS bundle
 * (light.ts), and hands every other command to the ES entry (main.ts).
 * bench/startup.bench.ts measures both.
 *
 * @module
 */

// Replaced when the CLI is bundled (scripts/cli-bundle.mjs): the version itself, and the
// commands bundled in light.cjs. Left undefined when run from src/, where main.ts reads
// package.json and runs every command.
declare const LINE_TOKEN_VERSION: string | undefined;
declare const LINE_TOKEN_LIGHT_COMMANDS: readonly string[] | undefined;

const args = process.argv.slice(2);
const version = typeof LINE_TOKEN_VERSION === 'string' ? LINE_TOKEN_VERSION : undefined;
const light = typeof LINE_TOKEN_LIGHT_COMMANDS === 'object' ? LINE_TOKEN_LIGHT_COMMANDS : [];

if (version !== undefined && args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const text = `${version}\n`;
  try {
    // node:fs is already loaded by Node's own start-up; process.stdout is not.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS by design
    (require('node:fs') as typeof import('node:fs')).writeSync(1, text);
  } catch (error) {
    // A reader that has gone (`| head -c0`) needs no answer; a pipe that is full for the
    // moment (EAGAIN) gets it through the stream, which waits.
    if ((error as { code?: unknown }).code !== 'EPIPE') process.stdout.write(text);
  }
} else if (args[0] !== undefined && light.includes(args[0])) {
  // The command word first, and a light one: the runner finds it without loading any
  // other command (flags before the word make it load them all, so those go to main.js).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS by design
  require('./light.cjs');
} else {
  void import('./main.js');
}
