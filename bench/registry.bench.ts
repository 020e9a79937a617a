// TokenManagerRegistry at platform scale: N stateless channels loaded on demand through the
// `credentials` loader, against the emulator in its own process (bench/registry-emulator.ts,
// which also counts the sockets the registry opens). For each N:
//   warm-up     getToken() for every channel at once: failures, time, most issues in
//               flight (the registry's own count) and most sockets open (the emulator side);
//   heap, RSS   after a GC, heap per channel (minus the heap before the registry existed);
//   sweep       the clock jumps so every token is inside its refresh window at once; random
//               getToken() calls run meanwhile: failures, refresh errors, in flight, sockets,
//               and the event loop's delay p99 (perf_hooks), until every token is fresh;
//   hot path    (first N only) registry.getToken(random id) vs a Map.get + expiry check on
//               the same ids, awaited, alternating rounds, median of per-round ratios.
//
//   node --import tsx bench/index.ts registry          BENCH_SIZES=10000,100000 by default
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TokenManagerRegistry } from '../src/manager/registry.js';
import type { ManagerTimers } from '../src/manager/types.js';
import { benchChannel, serveEmulator } from './registry-emulator.js';
import { median, summary } from './stats.js';

const SELF = fileURLToPath(import.meta.url);
const SIZES = (process.env['BENCH_SIZES'] ?? '10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 21);
const PER_ROUND = Number(process.env['BENCH_CALLS'] ?? 200_000);
const CONCURRENCY =
  process.env['BENCH_CONCURRENCY'] === undefined
    ? undefined
    : Number(process.env['BENCH_CONCURRENCY']);
const WAVE = Number(process.env['BENCH_WAVE'] ?? 10_000);
const GOALS = { inFlight: 64, sockets: 64, heapBytes: 2048, ratio: 1.5, rssMb: 400 };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapNow = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** Real timers the bench can fire early when it jumps the clock (they re-check the clock). */
class JumpTimers implements ManagerTimers {
  readonly #pending = new Map<unknown, () => void>();
  setTimeout(callback: () => void, delayMs: number): unknown {
    const handle = setTimeout(() => {
      this.#pending.delete(handle);
      callback();
    }, delayMs);
    this.#pending.set(handle, callback);
    return handle;
  }
  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle);
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }
  fireAll(): void {
    for (const [handle, callback] of this.#pending) {
      this.clearTimeout(handle);
      setImmediate(callback);
    }
  }
}

async function startChild(n: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SELF, '--role', 'emulator', String(n)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const next = (): Promise<Record<string, number | string>> =>
    new Promise((resolve) => lines.once('line', (line) => resolve(JSON.parse(line))));
  const { url } = (await next()) as { url: string };
  return {
    url,
    async peakSockets(): Promise<number> {
      const answer = next();
      child.stdin.write('peak\n');
      return (await answer)['peak'] as number;
    },
    close: () => child.stdin.end(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let sink = 0;

async function hotPath(registry: TokenManagerRegistry, ids: string[]) {
  const map = new Map<string, { token: string; serveUntil: number }>();
  for (const id of ids)
    map.set(id, { token: await registry.getToken(id), serveUntil: Date.now() + 60_000 });
  const picks = Uint32Array.from({ length: 1 << 20 }, () => Math.floor(Math.random() * ids.length));
  const mask = picks.length - 1;
  const bare = (key: string): Promise<string> => {
    const e = map.get(key);
    if (e && e.serveUntil > Date.now()) return Promise.resolve(e.token);
    return Promise.reject(new Error('the bare map has no fresh token'));
  };
  const ours = async (n: number) => {
    for (let i = 0; i < n; i++) sink += (await registry.getToken(ids[picks[i & mask]!]!)).length;
  };
  const base = async (n: number) => {
    for (let i = 0; i < n; i++) sink += (await bare(ids[picks[i & mask]!]!)).length;
  };
  const time = async (run: (n: number) => Promise<void>) => {
    const t0 = process.hrtime.bigint();
    await run(PER_ROUND);
    return Number(process.hrtime.bigint() - t0) / PER_ROUND;
  };
  for (let i = 0; i < 3; i++) {
    await ours(PER_ROUND);
    await base(PER_ROUND);
  }
  const ratios: number[] = [];
  const o: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which side runs first, so drift hits both alike.
    let x: number;
    let y: number;
    if (round % 2 === 0) {
      x = await time(ours);
      y = await time(base);
    } else {
      y = await time(base);
      x = await time(ours);
    }
    o.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  return { ours: median(o), bare: median(b), ratios };
}

async function run(n: number, measureHotPath: boolean): Promise<boolean> {
  const child = await startChild(n);
  let offset = 0;
  const now = () => Date.now() + offset;
  const timers = new JumpTimers();
  const ids = Array.from({ length: n }, (_, i) => benchChannel(i).id);
  // The client's wire on Node (node:http) loads on first use: loaded before the baseline,
  // it is not per channel. (Not fetch: loading undici alone would add to the RSS.)
  await new Promise((resolve, reject) =>
    get(`${child.url}/v2/bot/info`, (res) => res.resume().on('end', resolve)).on('error', reject),
  );
  const heap0 = heapNow();
  const registry = new TokenManagerRegistry({
    defaults: {
      clientOptions: { baseUrl: child.url },
      now,
      timers,
      // Half the lifetime: a 100,000-channel warm-up fits before the window opens.
      refresh: { windowFraction: 0.5 },
    },
    // A fresh object per call, as from a database: the registry's copy is its own.
    credentials: (id) => {
      const c = benchChannel(Number(id) - 1_000_000_000);
      return { type: 'stateless', channelId: c.id, channelSecret: c.secret };
    },
    maxChannels: n,
    ...(CONCURRENCY === undefined ? {} : { maxConcurrentIssues: CONCURRENCY }),
    // A cold start of n channels queues them all; none may time out in the queue.
    queueTimeoutMs: 600_000,
  });

  let warmFailed = 0;
  const t0 = performance.now();
  // All at once up to WAVE channels (10,000 in one burst); bigger registries in waves of
  // WAVE, as callers arrive, so the burst's transient promises do not set the RSS.
  for (let i = 0; i < n; i += WAVE) {
    const wave = ids.slice(i, i + WAVE);
    await Promise.all(wave.map((id) => registry.getToken(id).catch(() => void warmFailed++)));
  }
  const warmMs = performance.now() - t0;
  const warm = registry.status();
  const warmSockets = await child.peakSockets();
  const heapPerChannel = (heapNow() - heap0) / n;
  const mem = process.memoryUsage();
  let rssMb = mem.rss / 2 ** 20;
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const breakdown = `RSS ${mb(mem.rss)}, heap used ${mb(mem.heapUsed)} of ${mb(mem.heapTotal)}, external ${mb(mem.external)}, array buffers ${mb(mem.arrayBuffers)}`;

  // Every token inside its refresh window at once (and still servable).
  // The last token issued is due 450 s after its issue (at most); the first one stops being
  // served 870 s after its own, so a warm-up over 419 s leaves its first tokens expired.
  offset += 451_000;
  const { refreshDue: due, expired } = registry.status().tokens;
  let sweepFailed = 0;
  let rssPeak = 0;
  let calls = 0;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const s0 = performance.now();
  timers.fireAll();
  for (;;) {
    await sleep(10);
    // Callers in a closed loop: 100 at a time, each batch awaited, like request handlers.
    const batch: Array<Promise<unknown>> = [];
    for (let i = 0; i < 100; i++, calls++) {
      batch.push(
        registry.getToken(ids[Math.floor(Math.random() * n)]!).catch(() => void sweepFailed++),
      );
    }
    await Promise.all(batch);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const s = registry.status();
    const settled = s.tokens.refreshDue === 0 && s.tokens.expired === 0;
    if (settled && s.queueLength === 0 && s.refreshesInFlight === 0) break;
  }
  const sweepMs = performance.now() - s0;
  delay.disable();
  const after = registry.status();
  rssMb = Math.max(rssMb, rssPeak / 2 ** 20);
  const sweepSockets = await child.peakSockets();
  const errors = Object.values(after.failuresByCause).reduce((a, x) => a + x, 0);

  const hot = measureHotPath ? await hotPath(registry, ids) : undefined;
  await registry.close();
  child.close();

  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const inFlightOk = after.peakRefreshesInFlight <= GOALS.inFlight;
  const socketsOk = Math.max(warmSockets, sweepSockets) <= GOALS.sockets;
  const heapOk = heapPerChannel <= GOALS.heapBytes;
  const rssOk = n < 100_000 || rssMb <= GOALS.rssMb;
  console.log(
    `\n${n.toLocaleString('en')} stateless channels via the loader (emulator in its own process)`,
  );
  console.log(
    `  warm-up   ${(warmMs / 1000).toFixed(1)} s, failed getToken ${warmFailed}, issues in flight at most ${warm.peakRefreshesInFlight}, sockets at most ${warmSockets}`,
  );
  console.log(
    `  memory    warm heap ${heapPerChannel.toFixed(0)} B/channel (goal <= ${GOALS.heapBytes}: ${mark(heapOk)}), RSS at most ${rssMb.toFixed(0)} MB (after warm-up: ${breakdown})${n >= 100_000 ? ` (goal <= ${GOALS.rssMb}: ${mark(rssOk)})` : ''}`,
  );
  console.log(
    `  sweep     ${due.toLocaleString('en')} due at once (${expired} already expired), done in ${(sweepMs / 1000).toFixed(1)} s; ${calls.toLocaleString('en')} getToken meanwhile, failed ${sweepFailed}; refresh errors ${errors}`,
  );
  console.log(
    `            issues in flight at most ${after.peakRefreshesInFlight} (goal <= ${GOALS.inFlight}: ${mark(inFlightOk)}), sockets at most ${sweepSockets} (goal <= ${GOALS.sockets}: ${mark(socketsOk)}), event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
  );
  if (hot) {
    console.log(
      `  hot path  registry.getToken(random id) ${hot.ours.toFixed(1)} ns vs Map.get + expiry check ${hot.bare.toFixed(1)} ns`,
    );
    console.log(`            ratio ${summary(hot.ratios, GOALS.ratio)}`);
  }
  const failures = warmFailed + sweepFailed + errors;
  return (
    failures === 0 &&
    inFlightOk &&
    socketsOk &&
    heapOk &&
    rssOk &&
    (hot === undefined || median(hot.ratios) <= GOALS.ratio)
  );
}

if (process.argv[2] === '--role') {
  await serveEmulator(Number(process.argv[4]));
} else {
  let ok = true;
  for (const [i, n] of SIZES.entries()) ok = (await run(n, i === 0)) && ok;
  if (sink === 0 && SIZES.length > 0) throw new Error('nothing was measured');
  process.exitCode = ok ? 0 : 1;
}
