// One process of the test fleet: a TokenManager on a shared RedisTokenStore, driven by
// the parent over IPC. The parent owns the emulator and its virtual clock; this process
// follows that clock (each message carries the current virtual time), so every process
// of the fleet agrees on "now" and a run is deterministic.
//
// Run with: node --import tsx test/redis/fleet-worker.ts (spawned with an IPC channel).
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { TokenManager } from '../../src/manager/manager.js';
import type { TokenStore } from '../../src/manager/store.js';
import type { ManagerTimers } from '../../src/manager/types.js';
import { RedisTokenStore, type RedisClient } from '../../src/redis/index.js';
import type { ParentMessage, WorkerMessage } from './fleet-protocol.js';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

let virtualNow = 0;

/**
 * Timers on both clocks: a timer fires once its delay has passed in virtual time (when the
 * parent advances the clock) or in real time, whichever comes first. The manager's
 * schedules re-check `now()` when they wake, so a real-time wake-up ahead of the virtual
 * clock just re-arms, while I/O-style waits (backoff sleeps) still end in real time.
 */
class FleetTimers implements ManagerTimers {
  readonly #due = new Map<ReturnType<typeof setTimeout>, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, delayMs: number): unknown {
    const handle = setTimeout(() => {
      this.#due.delete(handle);
      callback();
    }, delayMs);
    this.#due.set(handle, { at: virtualNow + delayMs, callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
    this.#due.delete(handle as ReturnType<typeof setTimeout>);
  }

  /** Moves the clock and fires what became due, earliest first. */
  advance(to: number): void {
    virtualNow = Math.max(virtualNow, to);
    for (;;) {
      let next: [ReturnType<typeof setTimeout>, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#due) {
        if (entry[1].at <= virtualNow && (next === undefined || entry[1].at < next[1].at))
          next = entry;
      }
      if (next === undefined) return;
      clearTimeout(next[0]);
      this.#due.delete(next[0]);
      next[1].callback();
    }
  }
}

const timers = new FleetTimers();
let manager: TokenManager | undefined;
let store: RedisTokenStore | undefined;
// While set, store writes wait for the parent: it can fail Redis over between a holder's
// issue and its write, exactly when the lock matters.
let writesHeld: { promise: Promise<void>; resolve: () => void } | undefined;

function holdWrites(): void {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  writesHeld = { promise, resolve };
}
let closeClient: (() => Promise<void>) | undefined;
let clientReady: (() => Promise<void>) | undefined;

/**
 * The client's next 'ready' event. Not `events.once`: that rejects on the first 'error' event,
 * and a client reconnecting after a Redis restart emits one for each refused attempt, which
 * would turn a slow reconnect into a crashed worker.
 */
function readyEvent(client: { once(event: 'ready', listener: () => void): unknown }) {
  return new Promise<void>((resolve) => client.once('ready', () => resolve()));
}

/** The client the test asked for, and how to close it. */
async function connect(
  message: Extract<ParentMessage, { type: 'init' }>,
): Promise<{ client: RedisClient; close: () => Promise<void>; ready: () => Promise<void> }> {
  if (message.client === 'node-redis' && message.clusterNodes !== undefined) {
    const cluster = createCluster({
      rootNodes: message.clusterNodes.map((n) => ({ url: `redis://${n.host}:${n.port}` })),
      // Reconnect quickly; the store re-reads the slot map when a command stalls.
      defaults: { socket: { reconnectStrategy: () => 50 } },
    });
    cluster.on('error', () => {});
    await cluster.connect();
    return { client: cluster, close: async () => cluster.destroy(), ready: async () => {} };
  }
  if (message.client === 'node-redis') {
    if (message.redisUrl === undefined) throw new Error('node-redis needs redisUrl here');
    // Reconnect quickly after a Redis restart; the store bounds each command itself.
    const client = createClient({
      url: message.redisUrl,
      socket: { reconnectStrategy: () => 50 },
    });
    client.on('error', () => {});
    await client.connect();
    return {
      client,
      close: async () => client.destroy(),
      ready: async () => {
        if (!client.isReady) await readyEvent(client);
      },
    };
  }
  if (message.clusterNodes !== undefined) {
    const cluster = new Cluster(message.clusterNodes, {
      // Follow a failover promptly: retry a command whose node went away, and refresh the
      // slot map, every 50 ms; the store's command deadline bounds the whole.
      retryDelayOnFailover: 50,
      retryDelayOnClusterDown: 50,
      retryDelayOnTryAgain: 50,
      clusterRetryStrategy: () => 50,
    });
    cluster.on('error', () => {});
    return {
      client: cluster,
      close: async () => cluster.disconnect(),
      ready: async () => {
        if (cluster.status !== 'ready') await readyEvent(cluster);
      },
    };
  }
  const redis = new Redis(message.redisUrl!, {
    // Reconnect quickly after a Redis restart. Without an offline queue a command sent
    // while Redis is down fails at once, so an outage is noticed without waiting out
    // commandTimeoutMs, which can then be generous enough for a busy machine.
    retryStrategy: () => 50,
    enableOfflineQueue: false,
  });
  redis.on('error', () => {});
  const ready = async (): Promise<void> => {
    if (redis.status !== 'ready') await readyEvent(redis);
  };
  await ready();
  return { client: redis, close: async () => redis.disconnect(), ready };
}

async function init(message: Extract<ParentMessage, { type: 'init' }>): Promise<void> {
  timers.advance(message.now);
  const connection = await connect(message);
  closeClient = connection.close;
  clientReady = connection.ready;
  store = new RedisTokenStore({
    client: connection.client,
    prefix: message.prefix,
    commandTimeoutMs: message.commandTimeoutMs,
    pollIntervalMs: 100,
    ...(message.encryptionKey === undefined ? {} : { encryptionKey: message.encryptionKey }),
  });
  const shared = store;
  // Tells the parent who holds the lock, so it can kill the holder mid-issue.
  const reporting: TokenStore = {
    get: (key) => shared.get(key),
    set: async (key, token, ttlMs) => {
      if (writesHeld !== undefined) {
        send({ type: 'write-held', pid: process.pid });
        await writesHeld.promise;
      }
      return shared.set(key, token, ttlMs);
    },
    delete: (key) => shared.delete(key),
    acquireLock: async (key, ttlMs) => {
      const lock = await shared.acquireLock(key, ttlMs);
      if (lock !== undefined) send({ type: 'lock-acquired', pid: process.pid });
      return lock;
    },
    waitForChange: (key, timeoutMs, signal) => shared.waitForChange(key, timeoutMs, signal),
  };
  manager = new TokenManager({
    strategy: {
      type: 'v2.1',
      channelId: message.channelId,
      kid: message.kid,
      privateKey: message.privateJwk,
      tokenExpSec: message.tokenExpSec,
      channelSecret: message.channelSecret,
    },
    store: reporting,
    clientOptions: { baseUrl: message.emulatorUrl, timeoutMs: 10_000 },
    now: () => virtualNow,
    timers,
    lock: { ttlMs: message.lockTtlMs, pollMs: 100 },
    // The store's own deadline decides when Redis counts as down; the manager's outer
    // bound must not cut in first on a busy machine.
    storeTimeoutMs: message.commandTimeoutMs * 3,
    // The cause too (a store error's message names no secret), so a test can say why.
    onWarning: (warning) =>
      send({
        type: 'warning',
        code: warning.code,
        message:
          warning.cause instanceof Error
            ? `${warning.message} (${warning.cause.message})`
            : warning.message,
      }),
    onRefreshError: (event) =>
      send({
        type: 'warning',
        code: 'REFRESH_ERROR',
        message:
          event.error instanceof Error ? `${event.error.name}: ${event.error.message}` : 'unknown',
      }),
  });
  send({ type: 'ready', pid: process.pid });
}

async function round(message: Extract<ParentMessage, { type: 'round' }>): Promise<void> {
  timers.advance(message.now);
  const m = manager!;
  // All callers start in the same tick: the concurrency a busy process sees.
  const results = await Promise.allSettled(
    Array.from({ length: message.callers }, () => m.getToken()),
  );
  const tokens = new Set<string>();
  const errors: string[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') tokens.add(result.value);
    else if (errors.length < 3) errors.push(String(result.reason));
  }
  const failures = results.filter((r) => r.status === 'rejected').length;
  // Let the background refresh (and any revocation) finish, so the parent sees a settled fleet.
  await m.idle();
  const status = m.status();
  send({
    type: 'round-done',
    id: message.id,
    pid: process.pid,
    tokens: [...tokens],
    failures,
    errors,
    degraded: status.degraded,
    issued: status.counts.issued,
    adopted: status.counts.adopted,
  });
}

function releaseWrites(): void {
  writesHeld?.resolve();
  writesHeld = undefined;
}

async function close(): Promise<void> {
  await manager?.close();
  await store?.close();
  await closeClient?.();
  send({ type: 'closed', pid: process.pid });
  process.disconnect();
}

// A parent that died (or a test that failed) must not leave workers behind.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: ParentMessage) => {
  const run =
    message.type === 'init'
      ? init(message)
      : message.type === 'round'
        ? round(message)
        : message.type === 'hold-writes'
          ? Promise.resolve(holdWrites())
          : message.type === 'release-writes'
            ? Promise.resolve(releaseWrites())
            : message.type === 'clock'
              ? Promise.resolve(timers.advance(message.now))
              : message.type === 'await-client'
                ? clientReady!().then(() => send({ type: 'client-ready', pid: process.pid }))
                : close();
  run.catch((error: unknown) => {
    send({ type: 'crashed', pid: process.pid, error: String(error) });
  });
});
