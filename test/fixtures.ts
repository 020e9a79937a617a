// Test fixtures that clean up after themselves. Each takes the node:test context `t` (or a
// suiteScope()) and registers its cleanup with `t.after`, so a test reads as setup and asserts,
// and cleanup still runs when an assertion fails — which a hand-written try/finally also did,
// at the cost of nesting every test one level deeper.
//
// Cleanups run last-registered first, like nested finally blocks: a manager made on top of an
// emulator is closed before the emulator goes. node:test itself runs `t.after` hooks first-
// registered first and stops at the first one that throws; here all of them run, and the
// first error is thrown once they have.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import type { Emulator, EmulatorOptions } from '../src/emulator/index.js';

/** What fixtures register cleanup with: a test's context `t`, or a {@link suiteScope}. */
export interface Scope {
  after(fn: () => unknown): void;
}

const stacks = new WeakMap<Scope, Array<() => unknown>>();

/** Runs `cleanup` when the test (or suite) ends, pass or fail, before earlier cleanups. */
export function defer(t: Scope, cleanup: () => unknown): void {
  let stack = stacks.get(t);
  if (!stack) {
    const own: Array<() => unknown> = [];
    stacks.set(t, own);
    t.after(async () => {
      const errors: unknown[] = [];
      for (const fn of own.splice(0).reverse()) {
        try {
          await fn();
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw errors[0];
    });
    stack = own;
  }
  stack.push(cleanup);
}

/**
 * A scope for fixtures shared by a file's (or a describe block's) tests, cleaned up after its
 * last test. Call it at module level or directly inside `describe`, not in a hook: node:test
 * runs an `after` registered from inside a `before` hook straight away.
 */
export function suiteScope(): Scope {
  const hooks: Array<() => unknown> = [];
  after(async () => {
    for (const hook of hooks) await hook();
  });
  return { after: (fn) => void hooks.push(fn) };
}

/** Returns `resource` and closes it when the test ends (managers, stores, emulators, …). */
export function closeAfter<T extends { close(): unknown }>(t: Scope, resource: T): T {
  defer(t, () => resource.close());
  return resource;
}

/** Starts an emulator on 127.0.0.1, closed when the test ends. */
export async function emulatorFor(t: Scope, options?: EmulatorOptions): Promise<Emulator> {
  // Loaded on first use: unit tests import this file for temp folders and need no emulator.
  const { startEmulator } = await import('../src/emulator/index.js');
  return closeAfter(t, await startEmulator(options));
}

/** A node:http server listening on 127.0.0.1, and its base URL. */
export interface TestServer {
  server: Server;
  url: string;
  port: number;
}

/**
 * Starts `handler` on a free port of 127.0.0.1. When the test ends the server closes and drops
 * its open connections (a held-open request would otherwise keep `close()` waiting forever).
 */
export async function serverFor(t: Scope, handler: RequestListener): Promise<TestServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  defer(t, () => closeServer(server));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, port };
}

/** Closes a node:http server and its open connections; resolves once it has closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A fresh folder under the system's temp folder, named `<prefix>XXXXXX`, removed at the end. */
export function tempDirFor(t: Scope, prefix = 'line-token-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  defer(t, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Returns `child` and, when the test ends, stops it (`signal`, SIGTERM by default) if it still
 * runs and waits for it to exit, so no process outlives the test that spawned it.
 */
export function childFor<T extends ChildProcess>(
  t: Scope,
  child: T,
  signal: NodeJS.Signals = 'SIGTERM',
): T {
  defer(t, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  });
  return child;
}
