// Preloaded (`--import`) by `npm run test:unit`: the unit lane promises seconds and no shared
// machine resources, so a unit-lane file that opens a server or starts a process or worker must
// fail at once with what to do, not quietly slow the lane down. Only the test files' processes
// are guarded (the runner's own process starts them), and calls made from inside a dependency
// (the TypeScript loader's own helper processes) are let through.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import workerThreads from 'node:worker_threads';

const MOVE =
  'a unit-lane test file must not open servers or start processes or workers: rename it to ' +
  '`*.integration.test.ts` (git mv) so it runs in `npm run test:integration`';

/** True when the nearest caller outside Node's own code is a dependency, not project code. */
function calledByDependency(): boolean {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    if (frame.includes('node:') || frame.includes('unit-guard')) continue;
    return frame.includes('/node_modules/');
  }
  return false;
}

function refuse(what: string): never {
  // The runner starts one process per test file, with that file as the script argument.
  const file = process.argv[1] ?? 'this test file';
  throw new Error(`${what} in the unit lane (${file}): ${MOVE}`);
}

if (process.env.NODE_TEST_CONTEXT !== undefined) {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function guardedListen(this: net.Server, ...args: unknown[]) {
    if (!calledByDependency()) refuse('net.Server#listen (an HTTP or TCP server)');
    return Reflect.apply(listen, this, args) as net.Server;
  } as typeof listen;

  const cp = childProcess as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of [
    'spawn',
    'spawnSync',
    'fork',
    'exec',
    'execSync',
    'execFile',
    'execFileSync',
  ]) {
    const original = cp[name]!;
    cp[name] = function guardedChildProcess(this: unknown, ...args: unknown[]) {
      if (!calledByDependency()) refuse(`child_process.${name}`);
      return Reflect.apply(original, this, args);
    };
  }

  const OriginalWorker = workerThreads.Worker;
  class GuardedWorker extends OriginalWorker {
    constructor(...args: ConstructorParameters<typeof OriginalWorker>) {
      if (!calledByDependency()) refuse('new Worker (worker_threads)');
      super(...args);
    }
  }
  (workerThreads as { Worker: typeof OriginalWorker }).Worker = GuardedWorker;

  // ESM named imports (`import { spawn } from 'node:child_process'`) see the patches only after this.
  syncBuiltinESMExports();
}
