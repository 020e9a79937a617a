// A real redis-server for the Redis tests: started on a free port in a temporary
// directory with persistence off (or an append-only file, on request), stopped or killed
// (and restartable) on demand. Not a mock.
// When redis-server is missing the suite says so loudly and skips locally, but fails
// in CI (process.env.CI), so a green CI run always means the Redis tests ran.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

/** The redis-server binary on PATH (or REDIS_SERVER), or undefined. */
export function findRedisServer(): string | undefined {
  const candidate = process.env.REDIS_SERVER ?? 'redis-server';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? candidate : undefined;
}

const MISSING =
  'redis-server not found on PATH: the Redis store tests did NOT run. Install it (Debian: apt-get install redis-server) or set REDIS_SERVER.';

/**
 * Returns the binary, or registers a skipped test (locally, with a loud warning) or a
 * failing test (in CI) and returns undefined. Call at the top of a test file.
 */
export function requireRedisServer(suite: string): string | undefined {
  const binary = findRedisServer();
  if (binary !== undefined) return binary;
  if (process.env.CI) {
    test(`${suite}: redis-server is required in CI`, () => {
      throw new Error(MISSING);
    });
  } else {
    console.warn(`\n!!! ${MISSING}\n`);
    test(`${suite}: skipped, redis-server missing`, { skip: MISSING }, () => {});
  }
  return undefined;
}

/** A free TCP port on 127.0.0.1, as the OS hands it out. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM, then waits for the process to exit). */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL: no shutdown, no final save) and waits for it to be gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `stop`). */
  start(): Promise<void>;
  /** Stops it for good and removes its directory. */
  close(): Promise<void>;
}

/** How the server keeps its data across a restart. */
export interface RedisServerOptions {
  /**
   * Append-only file, synced on every write, so a SIGKILL loses nothing the clients were
   * told was written (locks included).
   * @defaultValue false (no persistence: a restart starts empty)
   */
  appendOnly?: boolean;
}

/** Starts redis-server on a free port; retries with another port if the first is taken. */
export async function startRedisServer(
  binary: string,
  options: RedisServerOptions = {},
): Promise<RedisServer> {
  const appendOnly = options.appendOnly ?? false;
  const dir = mkdtempSync(join(tmpdir(), 'line-token-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(binary, port, dir, appendOnly);
      const server: RedisServer = {
        port,
        url: `redis://127.0.0.1:${port}`,
        async stop() {
          await terminate(child);
        },
        async kill() {
          await terminate(child, 'SIGKILL');
        },
        async start() {
          child = await launch(binary, port, dir, appendOnly);
        },
        async close() {
          await terminate(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
      return server;
    } catch (error) {
      lastError = error;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

function launch(
  binary: string,
  port: number,
  dir: string,
  appendOnly: boolean,
): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    appendOnly ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--logfile',
    '',
    '--loglevel',
    'notice',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)),
    );
  });
}

async function terminate(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}
