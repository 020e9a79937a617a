// What the runtime tests share: where the pinned runtimes live (test/runtimes/node_modules,
// installed by `npm ci` in this folder), the loud skip / CI failure when they are missing,
// child processes with a hang guard, and the Worker bundle.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/** This folder. */
export const RUNTIMES_DIR = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const ROOT = join(RUNTIMES_DIR, '../..');
const BIN = join(RUNTIMES_DIR, 'node_modules/.bin');

/** The compatibility date the Workers run on; no compatibility flag (no `nodejs_compat`). */
export const COMPATIBILITY_DATE = '2026-04-01';

const MISSING =
  'test/runtimes/node_modules is missing: the Bun, Deno and workerd tests did NOT run. Install them with `npm ci --prefix test/runtimes`.';

/**
 * Whether the pinned runtimes are installed. When they are not, registers a skipped test
 * (locally, with a loud warning) or a failing one (under CI), so a green CI run always
 * means every runtime ran.
 */
export function requireRuntimes(suite: string): boolean {
  const missing = ['bun', 'deno', 'esbuild', 'miniflare'].filter((b) => !existsSync(join(BIN, b)));
  if (!existsSync(join(RUNTIMES_DIR, 'node_modules/@cloudflare/workers-types'))) {
    missing.push('@cloudflare/workers-types');
  }
  if (missing.length === 0) return true;
  const message = `${MISSING} (missing: ${missing.join(', ')})`;
  if (process.env.CI) {
    test(`${suite}: the runtimes are required in CI`, () => {
      throw new Error(message);
    });
  } else {
    console.warn(`\n!!! ${message}\n`);
    test(`${suite}: skipped, runtimes missing`, { skip: message }, () => {});
  }
  return false;
}

/** The path of a pinned runtime's binary. */
export function bin(name: 'bun' | 'deno'): string {
  return join(BIN, name);
}

/** Environment for the runtimes: no update checks or telemetry (nothing leaves loopback). */
export const RUNTIME_ENV = {
  ...process.env,
  DENO_NO_UPDATE_CHECK: '1',
  DENO_NO_PROMPT: '1',
  DO_NOT_TRACK: '1',
  NO_COLOR: '1',
};

/** A finished child process. */
export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command` to its end; a hang guard (not a speed check) kills it after `guardMs`. */
export function run(command: string, args: string[], guardMs = 120_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: RUNTIMES_DIR, env: RUNTIME_ENV });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), guardMs);
    child.once('error', (err) => {
      clearTimeout(guard);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The last line of `stdout` that is a JSON object, or an error quoting the output. */
export function lastJson(result: ChildResult): Record<string, unknown> {
  const lines = result.stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    return JSON.parse(line) as Record<string, unknown>;
  }
  throw new Error(
    `no JSON report (exit ${result.code}): stdout ${result.stdout.slice(-2000)} stderr ${result.stderr.slice(-2000)}`,
  );
}

// Loaded by path from this folder's own install, which the root typecheck cannot see.
interface EsbuildModule {
  build(options: Record<string, unknown>): Promise<{ outputFiles: Array<{ text: string }> }>;
}

/** The Miniflare surface the tests use. */
export interface MiniflareLike {
  ready: Promise<URL>;
  dispatchFetch(
    url: string,
    init?: { method?: string; body?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; text(): Promise<string> }>;
  getWorker(name: string): Promise<{
    fetch(
      url: string,
      init?: { method?: string; body?: string; headers?: Record<string, string> },
    ): Promise<{ status: number; text(): Promise<string> }>;
  }>;
  dispose(): Promise<void>;
}
interface MiniflareModule {
  Miniflare: new (options: Record<string, unknown>) => MiniflareLike;
}

/** Imports a package from this folder's node_modules. */
function load<T>(name: string): Promise<T> {
  return import(join(RUNTIMES_DIR, 'node_modules', name, modulePaths[name]!)) as Promise<T>;
}
const modulePaths: Record<string, string> = {
  esbuild: 'lib/main.js',
  miniflare: 'dist/src/index.js',
};

/**
 * Bundles `entry` (a test file importing the built package) into one ES module for
 * workerd: browser conditions, no Node built-in allowed (esbuild fails on any `node:` import).
 */
export async function bundleWorker(entry: string): Promise<string> {
  const esbuild = await load<EsbuildModule>('esbuild');
  const out = await esbuild.build({
    entryPoints: [join(RUNTIMES_DIR, entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    // The repository's tsconfig maps the package's `#...` imports to their Node sources (for
    // tsc and tsx); a user's bundler never sees it, so neither does this one: the built
    // package's own "imports" decide, as they do for users.
    tsconfigRaw: {},
    target: 'es2022',
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

/**
 * The binding of Worker `index` to a Durable Object class several Workers share: Worker 0
 * (named `hostWorker`) hosts the class, the others bind to it by script name.
 */
export function sharedDurableObject(
  index: number,
  className: string,
  hostWorker: string,
): string | { className: string; scriptName: string } {
  return index === 0 ? className : { className, scriptName: hostWorker };
}

/** A Miniflare instance from this folder's install. */
export async function miniflare(options: Record<string, unknown>): Promise<MiniflareLike> {
  const { Miniflare } = await load<MiniflareModule>('miniflare');
  const mf = new Miniflare(options);
  await mf.ready;
  return mf;
}

/**
 * A long-running child that talks in lines: `send` writes one, `next` resolves with the next
 * JSON line it prints (a hang guard rejects after `guardMs`).
 */
export class LineChild {
  readonly #child: ReturnType<typeof spawn>;
  readonly #lines: string[] = [];
  readonly #waiting: Array<(line: string) => void> = [];
  #stderr = '';
  #exit: number | null | undefined;

  constructor(command: string, args: string[]) {
    this.#child = spawn(command, args, { cwd: RUNTIMES_DIR, env: RUNTIME_ENV });
    let buffered = '';
    this.#child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!line.startsWith('{')) continue;
        const waiter = this.#waiting.shift();
        if (waiter) waiter(line);
        else this.#lines.push(line);
      }
    });
    this.#child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.#stderr = (this.#stderr + d).slice(-4000);
    });
    this.#child.once('exit', (code) => {
      this.#exit = code;
      for (const waiter of this.#waiting.splice(0)) waiter('');
    });
  }

  /** Writes one line to the child's stdin. */
  send(line: string): void {
    this.#child.stdin!.write(`${line}\n`);
  }

  /** The next JSON line the child prints. */
  async next(guardMs = 120_000): Promise<Record<string, unknown>> {
    const queued = this.#lines.shift();
    const line =
      queued ??
      (this.#exit !== undefined
        ? ''
        : await new Promise<string>((resolve, reject) => {
            const guard = setTimeout(
              () => reject(new Error(`no answer: ${this.#stderr}`)),
              guardMs,
            );
            this.#waiting.push((l) => {
              clearTimeout(guard);
              resolve(l);
            });
          }));
    if (line === '') throw new Error(`the child exited (${this.#exit}): ${this.#stderr}`);
    return JSON.parse(line) as Record<string, unknown>;
  }

  /** Kills the child if it still runs. */
  kill(): void {
    if (this.#exit === undefined) this.#child.kill('SIGKILL');
  }
}
