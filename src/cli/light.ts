/**
 * The light commands' entry, bundled alone as CommonJS (dist/cli/light.cjs) by
 * scripts/cli-bundle.mjs, which lists them: the commands scripts run once per job, where
 * start-up is most of the run. The launcher (bin.cts) requires it when the command word
 * comes first and is one of them. It runs the same runner as main.ts, with only those
 * commands' code inside: Node reads one CommonJS file synchronously, where the ES entry
 * loads about 20 chunks through the ES loader (0.71–0.76 against 0.87–0.91 of a
 * jsonwebtoken script for `line-token assertion`, bench/startup.bench.ts).
 *
 * @module
 */
import { runProcess } from './internal/process-run.js';

void runProcess(process.argv.slice(2));
