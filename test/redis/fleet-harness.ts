// The parent side of the fleet tests: the emulator with a frozen base clock (only
// advanceClock moves it), a registered key pair, and N worker processes sharing one Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '../../src/assertion/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { Emulator, EmulatorAdmin, EmulatorTokenInfo } from '../../src/emulator/index.js';
import type { ParentMessage, WorkerMessage } from './fleet-protocol.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const WORKER = join(here, 'fleet-worker.ts');

/** A fixed epoch for the virtual clock: runs replay exactly. */
export const FLEET_EPOCH_MS = Date.UTC(2030, 0, 1);

/** The emulator and a channel with a registered assertion key. */
export interface FleetLine {
  emulator: Emulator;
  admin: EmulatorAdmin;
  channelId: string;
  channelSecret: string;
  kid: string;
  privateJwk: string;
  /** Current virtual time, epoch ms. */
  now: number;
  /** Moves the virtual clock; answers the new time. */
  advance(seconds: number): Promise<number>;
  /** Live v2.1 tokens of the channel right now. */
  liveV21(): Promise<EmulatorTokenInfo[]>;
  /** Requests the emulator received for `operation`. */
  requests(operation: string): Promise<number>;
}

export async function startLine(): Promise<FleetLine> {
  // The base never moves, so only advanceClock changes the emulator's time.
  const emulator = await startEmulator({ now: () => FLEET_EPOCH_MS });
  const { admin } = emulator;
  const channel = await admin.createChannel();
  const { privateJwk, publicJwk } = await generateKeyPair();
  const { kid } = await admin.registerKey(channel.id, publicJwk);
  const line: FleetLine = {
    emulator,
    admin,
    channelId: channel.id,
    channelSecret: channel.secret,
    kid,
    privateJwk: JSON.stringify(privateJwk),
    now: FLEET_EPOCH_MS,
    async advance(seconds) {
      line.now = (await admin.advanceClock(seconds)).now;
      return line.now;
    },
    async liveV21() {
      return (await admin.listTokens(channel.id)).filter((t) => t.family === 'v2.1');
    },
    async requests(operation) {
      return (await admin.stats()).requests[operation] ?? 0;
    },
  };
  return line;
}

/** What one worker reported for one round. */
export type RoundReport = Extract<WorkerMessage, { type: 'round-done' }>;

/** Worker settings the test chooses. */
export interface FleetSettings {
  client: 'ioredis' | 'node-redis';
  redisUrl?: string;
  clusterNodes?: Array<{ host: string; port: number }>;
  prefix: string;
  tokenExpSec: number;
  lockTtlMs: number;
  commandTimeoutMs: number;
  encryptionKey?: string;
}

interface Worker {
  child: ChildProcess;
  pid: number;
  alive: boolean;
}

/** N worker processes, each running a TokenManager on the shared Redis. */
export class Fleet {
  readonly workers: Worker[] = [];
  readonly warnings: Array<{ pid: number; code: string; message: string }> = [];
  readonly #lockListeners = new Set<(pid: number) => void>();
  readonly #heldListeners = new Set<(pid: number) => void>();
  #roundId = 0;

  private constructor() {}

  static async start(size: number, line: FleetLine, settings: FleetSettings): Promise<Fleet> {
    const fleet = new Fleet();
    const init: ParentMessage = {
      type: 'init',
      now: line.now,
      emulatorUrl: line.emulator.url,
      channelId: line.channelId,
      channelSecret: line.channelSecret,
      kid: line.kid,
      privateJwk: line.privateJwk,
      ...settings,
    };
    await Promise.all(
      Array.from({ length: size }, async () => {
        const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
          cwd: root,
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        const worker: Worker = { child, pid: child.pid!, alive: true };
        fleet.workers.push(worker);
        child.on('exit', () => (worker.alive = false));
        child.on('message', (message: WorkerMessage) => {
          if (message.type === 'lock-acquired')
            for (const l of fleet.#lockListeners) l(message.pid);
          if (message.type === 'write-held') for (const l of fleet.#heldListeners) l(message.pid);
          if (message.type === 'warning') fleet.warnings.push({ pid: worker.pid, ...message });
        });
        await new Promise<void>((resolve, reject) => {
          child.once('exit', (code, signal) =>
            reject(new Error(`worker exited before it was ready (${code ?? signal})`)),
          );
          const onMessage = (message: WorkerMessage): void => {
            if (message.type === 'ready') {
              child.off('message', onMessage);
              resolve();
            } else if (message.type === 'crashed') reject(new Error(message.error));
          };
          child.on('message', onMessage);
          child.send(init);
        });
      }),
    );
    return fleet;
  }

  get alive(): Worker[] {
    return this.workers.filter((w) => w.alive);
  }

  /** Calls `listener(pid)` each time a worker takes the lock. Returns an unsubscribe function. */
  onLock(listener: (pid: number) => void): () => void {
    this.#lockListeners.add(listener);
    return () => this.#lockListeners.delete(listener);
  }

  /**
   * Holds every worker's store writes until {@link releaseWrites}; resolves with the pid
   * of the first worker whose write is held (the lock holder, after LINE answered).
   */
  holdWrites(): { held: Promise<number> } {
    const held = new Promise<number>((resolve) => {
      const listener = (pid: number): void => {
        this.#heldListeners.delete(listener);
        resolve(pid);
      };
      this.#heldListeners.add(listener);
    });
    for (const w of this.alive) w.child.send({ type: 'hold-writes' } satisfies ParentMessage);
    return { held };
  }

  /**
   * Resolves once every live worker's Redis client is connected and ready again (after a
   * restart: ioredis waits out Redis's loading of its data before it takes commands).
   */
  async clientsReady(): Promise<void> {
    await Promise.all(
      this.alive.map(
        (w) =>
          new Promise<void>((resolve) => {
            const onMessage = (message: WorkerMessage): void => {
              if (message.type !== 'client-ready') return;
              w.child.off('message', onMessage);
              resolve();
            };
            w.child.on('message', onMessage);
            w.child.send({ type: 'await-client' } satisfies ParentMessage);
          }),
      ),
    );
  }

  /** Lets held writes go on. */
  releaseWrites(): void {
    for (const w of this.alive) w.child.send({ type: 'release-writes' } satisfies ParentMessage);
  }

  /**
   * Sets every live worker's clock to `now` and has it run `callers` concurrent
   * getToken() calls; resolves with the reports of the workers still alive at the end
   * (a worker killed meanwhile is left out).
   */
  async round(now: number, callers: number): Promise<RoundReport[]> {
    const id = ++this.#roundId;
    const reports = await Promise.all(
      this.alive.map(
        (worker) =>
          new Promise<RoundReport | undefined>((resolve, reject) => {
            const onExit = (): void => {
              cleanup();
              resolve(undefined);
            };
            const onMessage = (message: WorkerMessage): void => {
              if (message.type === 'round-done' && message.id === id) {
                cleanup();
                resolve(message);
              } else if (message.type === 'crashed') {
                cleanup();
                reject(new Error(`worker ${worker.pid} crashed: ${message.error}`));
              }
            };
            const cleanup = (): void => {
              worker.child.off('message', onMessage);
              worker.child.off('exit', onExit);
            };
            worker.child.on('message', onMessage);
            worker.child.on('exit', onExit);
            worker.child.send({ type: 'round', id, now, callers } satisfies ParentMessage);
          }),
      ),
    );
    return reports.filter((r): r is RoundReport => r !== undefined);
  }

  /** SIGKILLs one worker and waits until it is gone. */
  async kill(pid: number): Promise<void> {
    const worker = this.workers.find((w) => w.pid === pid);
    if (worker === undefined || !worker.alive) return;
    const gone = new Promise<void>((resolve) => worker.child.once('exit', () => resolve()));
    worker.child.kill('SIGKILL');
    await gone;
  }

  /** Closes every live worker politely (managers closed, connections dropped). */
  async close(): Promise<void> {
    await Promise.all(
      this.alive.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => worker.child.kill('SIGKILL'), 10_000);
            worker.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            worker.child.send({ type: 'close' } satisfies ParentMessage);
          }),
      ),
    );
  }
}
