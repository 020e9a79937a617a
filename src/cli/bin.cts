#!/usr/bin/env node
/**
 * The `line-token` executable that package.json's `bin` names. CommonJS on purpose: a
 * fresh Node process starts an ES module entry about 5 ms slower than `node -e 0` (the ES
 * loader), and one that prints through `process.stdout` sets up a stream first; this file
 * answers `--version` with neither, then hands every other command to the ES entry
 * (main.ts). bench/startup.bench.ts measures it.
 *
 * @module
 */

// Replaced by the version itself when the CLI is bundled (scripts/cli-bundle.mjs); left
// undefined when run from src/, where main.ts reads package.json.
declare const LINE_TOKEN_VERSION: string | undefined;

const args = process.argv.slice(2);
const version = typeof LINE_TOKEN_VERSION === 'string' ? LINE_TOKEN_VERSION : undefined;

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
} else {
  void import('./main.js');
}
