#!/usr/bin/env node
/**
 * The `line-token` ES entry: every command but the light ones, which the launcher
 * (bin.cts) runs from a CommonJS bundle of their own (light.ts).
 *
 * @module
 */
import { packageVersion } from './internal/version.js';
import { runProcess } from './internal/process-run.js';

const args = process.argv.slice(2);

// The one-shot call scripts and bug reports make most: answered before the runner, its
// argument parser and its command table load (the same text the runner prints for it).
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  await runProcess(args);
}
