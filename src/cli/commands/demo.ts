/**
 * `line-token demo`: the `npm start` demo for an installed package (`npx line-token
 * demo`), which has no npm scripts to run. It runs the shipped demo program (dist/demo) as
 * a child process with this terminal, so it behaves exactly as `npm start` does: demo mode
 * on the embedded emulator, or live mode when LINE_CHANNEL_ID is set.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../../errors.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

/** `line-token demo`. */
export const demoCommand: Command = {
  name: 'demo',
  summary: "watch the token manager keep a token fresh (npm start's demo, for installed users)",
  usage: ['demo', 'LINE_CHANNEL_ID=... LINE_CHANNEL_SECRET=... line-token demo   # live mode'],
  options: {},
  details: [
    'Without LINE_CHANNEL_ID it runs days of token rotation on the embedded emulator with a',
    'virtual clock in a few seconds (nothing is sent to LINE); with it, it keeps a real token',
    'from LINE fresh until Ctrl-C. The same program as `npm start` in a clone: docs/demo.md.',
    "Exit codes are the demo's: 0 done, 1 a failure at run time, 2 a configuration problem.",
  ],
  examples: ['npx line-token demo', 'LINE_TOKEN_TYPE=stateless line-token demo'],
  offline: true,
  run,
};

/**
 * Where the demo program is. The CLI is bundled into dist/cli/ and this command into
 * dist/cli/chunks/, so the demo, built file for file, is two folders up.
 */
function demoMain(): string {
  const candidates = ['../../demo/main.js', '../demo/main.js'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) {
    throw new InvalidArgumentError(
      'demo',
      'the demo program (dist/demo/main.js) is not in this installation; reinstall line-token, or run npm run build in a clone',
    );
  }
  return found;
}

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const main = demoMain();
  const child = spawn(process.execPath, [main], { stdio: 'inherit', env: ctx.env });
  // Ctrl-C reaches the child from the terminal itself; a SIGTERM sent to this process
  // alone is passed on, so the demo still closes its manager (and revokes its token).
  const forward = (): void => void child.kill('SIGTERM');
  ctx.signal.addEventListener('abort', forward, { once: true });
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 130)));
    });
    return { data: { exitCode }, text: '', exitCode };
  } finally {
    ctx.signal.removeEventListener('abort', forward);
  }
}
