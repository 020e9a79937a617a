// Fuzz: every exported function and class of every entry point (read from package.json's
// exports map, so a new export is covered without editing this file), and the methods of
// the instances a user builds most (stores, manager, registry, client), called with
// hostile arguments: only LineTokenErrors may escape, never a raw TypeError from reading a
// property of `null`. Whatever the calls start (timers, servers) is stopped afterwards.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { LineTokenError } from '../../src/errors.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const RUNS = 60;

/** The entry points' source files, from package.json's exports. */
function entryPoints(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: { default?: string } }>;
  };
  return Object.values(pkg.exports).flatMap((target) => {
    const js = typeof target === 'string' ? undefined : target.import?.default;
    return js?.startsWith('./dist/')
      ? [join(ROOT, js.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'))]
      : [];
  });
}

// Timers the calls start (a wait of 10^9 ms, a manager's refresh) are cleared at the end,
// so the fuzz leaves nothing that keeps the process alive.
const timers = new Set<ReturnType<typeof setTimeout>>();
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
  const t = realSetTimeout(...args);
  timers.add(t);
  return t;
}) as typeof setTimeout;
globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
  const t = realSetInterval(...args);
  timers.add(t);
  return t;
}) as typeof setInterval;
const closers: Array<() => unknown> = [];
after(async () => {
  // A close that cannot finish (a manager mid-issue with a hostile store) is not waited for.
  const bounded = (close: () => unknown) =>
    Promise.race([
      Promise.resolve()
        .then(close)
        .catch(() => {}),
      new Promise((r) => realSetTimeout(r, 1000).unref()),
    ]);
  await Promise.all(closers.map(bounded));
  for (const t of timers) clearTimeout(t);
  globalThis.setTimeout = realSetTimeout;
  globalThis.setInterval = realSetInterval;
});

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -1,
    0,
    1e21,
    '',
    ' ',
    'x'.repeat(5000),
    Symbol('hostile'),
    10n,
    () => undefined,
    [],
    {},
    Object.create(null) as object,
    { then: 1 },
    { toString: 5 },
  ),
  fc.anything({
    maxDepth: 2,
    withBigInt: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withTypedArray: true,
    withSparseArray: true,
  }),
);
const hostileArgs = fc.array(hostile, { maxLength: 3 });

/** Lets a call's promise settle if it is going to settle soon; a pending one is left. */
async function outcome(result: unknown): Promise<unknown> {
  if (typeof (result as { then?: unknown } | null)?.then !== 'function') return result;
  const pending = Symbol('pending');
  const settled = await Promise.race([
    Promise.resolve(result as Promise<unknown>),
    new Promise((r) => realSetTimeout(() => r(pending), 20)),
  ]);
  if (settled === pending) (result as Promise<unknown>).catch(() => {});
  return settled;
}

/** Stops whatever a call that succeeded made (an emulator, a manager). */
function keepForClose(made: unknown): void {
  if (typeof made !== 'object' || made === null) return;
  const close = (made as { close?: unknown }).close;
  if (typeof close === 'function') closers.push(() => close.call(made));
}

/** Calls `run`; the escape's description if it threw or rejected with anything but a LineTokenError. */
async function escapeOf(run: () => unknown): Promise<string | undefined> {
  try {
    keepForClose(await outcome(run()));
    return undefined;
  } catch (err) {
    if (err instanceof LineTokenError) return undefined;
    return err instanceof Error ? `${err.name}: ${err.message}` : `a thrown ${typeof err}`;
  }
}

const isClass = (f: unknown): f is new (...args: unknown[]) => unknown =>
  typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

/** The emulator binds the default port when its options allow: never a fixed port here. */
function safeArgs(name: string, args: unknown[]): unknown[] {
  if (name !== 'startEmulator') return args;
  const [first, ...rest] = args;
  if (first === undefined) return [{ port: 0, log: false }, ...rest];
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    return [{ ...first, port: 0 }, ...rest];
  }
  return args;
}

// generateKeyPair reads no argument and makes an RSA key per call: a few calls show it
// ignores what it is given, more would only queue key generations.
const RUNS_OF: Record<string, number> = { generateKeyPair: 3 };

async function fuzz(label: string, call: (args: unknown[]) => unknown): Promise<void> {
  const escapes = new Map<string, unknown[]>();
  await fc.assert(
    fc.asyncProperty(hostileArgs, async (args) => {
      const escape = await escapeOf(() => call(args));
      if (escape !== undefined && !escapes.has(escape)) escapes.set(escape, args);
    }),
    { numRuns: RUNS_OF[label] ?? RUNS, seed: 22 },
  );
  assert.deepEqual([...escapes.keys()], [], `${label} let errors other than LineTokenError escape`);
}

describe('every export, called with hostile arguments, throws only LineTokenErrors', async () => {
  for (const file of entryPoints()) {
    const mod = (await import(file)) as Record<string, unknown>;
    const entry = file.slice(ROOT.length + 1);
    for (const [name, value] of Object.entries(mod)) {
      if (typeof value !== 'function') continue;
      test(`${entry}: ${name}`, () =>
        fuzz(name, (args) => {
          const safe = safeArgs(name, args);
          return isClass(value)
            ? new value(...safe)
            : (value as (...a: unknown[]) => unknown)(...safe);
        }));
    }
  }
});

describe('methods of the instances users build, called with hostile arguments', async () => {
  const { MemoryTokenStore, TokenManager, TokenManagerRegistry, ChannelAccessTokenClient } =
    await import('../../src/index.js');
  const { FileTokenStore } = await import('../../src/manager/stores/file-store.js');
  const dir = tempDirFor(suiteScope(), 'line-token-hostile-');
  const instances: Record<string, () => object> = {
    MemoryTokenStore: () => new MemoryTokenStore(),
    FileTokenStore: () =>
      new FileTokenStore({ path: join(dir, 'tokens.json'), onWarning: () => {} }),
    TokenManager: () => {
      const m = new TokenManager({ strategy: { type: 'static', accessToken: 'static-token' } });
      closers.push(() => m.close());
      return m;
    },
    TokenManagerRegistry: () => {
      const r = new TokenManagerRegistry();
      closers.push(() => r.close());
      return r;
    },
    // A closed port: a call that passes its checks fails fast as a LineNetworkError.
    ChannelAccessTokenClient: () =>
      new ChannelAccessTokenClient({ baseUrl: 'http://127.0.0.1:9', retry: false }),
  };
  for (const [className, make] of Object.entries(instances)) {
    const sample = make();
    const proto = Object.getPrototypeOf(sample) as object;
    const methods = Object.getOwnPropertyNames(proto).filter(
      (m) =>
        m !== 'constructor' &&
        !['close', 'destroy'].includes(m) &&
        typeof Object.getOwnPropertyDescriptor(proto, m)?.value === 'function',
    );
    for (const method of methods) {
      test(`${className}.${method}`, () =>
        fuzz(`${className}.${method}`, (args) => {
          const target = make() as Record<string, (...a: unknown[]) => unknown>;
          return target[method]!(...args);
        }));
    }
  }
});
