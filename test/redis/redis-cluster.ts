// A real Redis Cluster for the tests: 3 masters and 3 replicas (`redis-server
// --cluster-enabled yes` ×6 on free loopback ports, joined by `redis-cli --cluster create
// --cluster-replicas 1`), and a failover on demand: SIGKILL the master that owns a key's
// slot, then CLUSTER FAILOVER TAKEOVER on its replica. Not a mock.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { findRedisServer } from './redis-server.js';

/** redis-server and redis-cli, or undefined when either is missing. */
export function findClusterBinaries(): { server: string; cli: string } | undefined {
  const server = findRedisServer();
  const cli = process.env.REDIS_CLI ?? 'redis-cli';
  const probe = spawnSync(cli, ['--version'], { encoding: 'utf8' });
  return server !== undefined && probe.status === 0 ? { server, cli } : undefined;
}

const MISSING =
  'redis-server or redis-cli not found on PATH: the Redis Cluster tests did NOT run. Install them (Debian: apt-get install redis-server) or set REDIS_SERVER and REDIS_CLI.';

/** As requireRedisServer: skip loudly locally, fail in CI. */
export function requireRedisCluster(suite: string): { server: string; cli: string } | undefined {
  const found = findClusterBinaries();
  if (found !== undefined) return found;
  if (process.env.CI) {
    test(`${suite}: redis-server and redis-cli are required in CI`, () => {
      throw new Error(MISSING);
    });
  } else {
    console.warn(`\n!!! ${MISSING}\n`);
    test(`${suite}: skipped, redis-server or redis-cli missing`, { skip: MISSING }, () => {});
  }
  return undefined;
}

/** `count` distinct free ports, all held open at once so none is handed out twice. */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

interface Node {
  port: number;
  child: ChildProcess;
}

/** What a failover did. */
export interface Failover {
  killedPort: number;
  promotedPort: number;
  /** `performance.now()` when the replica answered as master of the slot. */
  promotedAt: number;
}

/** A running 3+3 cluster. */
export interface RedisCluster {
  /** Where clients start: every node. */
  readonly nodes: Array<{ host: string; port: number }>;
  /** The port of the master that owns `key`'s slot right now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs the master owning `key`'s slot and promotes its replica (TAKEOVER). */
  failover(key: string): Promise<Failover>;
  close(): Promise<void>;
}

function launch(binary: string, port: number, busPort: number, dir: string): Promise<ChildProcess> {
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port', String(port),
    '--cluster-port', String(busPort),
    '--bind', '127.0.0.1',
    '--cluster-enabled', 'yes',
    '--cluster-config-file', join(dir, 'nodes.conf'),
    // Only decides when the others mark a dead node as failed; the tests promote the
    // replica themselves with TAKEOVER, so this does not pace them.
    '--cluster-node-timeout', '5000',
    '--save', '', '--appendonly', 'no', '--dir', dir,
    '--daemonize', 'no', '--logfile', '', '--loglevel', 'warning',
  ]; // prettier-ignore
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Loglevel warning prints nothing on a good start: ask the node itself.
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => 20,
      maxRetriesPerRequest: null,
    });
    probe.on('error', () => {});
    // A node that dies (its port taken meanwhile) stops the probe too: a probe reconnecting
    // forever would keep the test process alive after the failure, and the suite with it.
    const fail = (error: Error): void => {
      probe.disconnect();
      reject(error);
    };
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited with ${code}:\n${output}`)));
    probe
      .ping()
      .then(() => resolve(child), reject)
      .finally(() => probe.disconnect());
  });
}

async function clusterInfo(port: number): Promise<Record<string, string>> {
  const c = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  c.on('error', () => {});
  try {
    const text = (await c.call('CLUSTER', 'INFO')) as string;
    return Object.fromEntries(text.split(/\r?\n/).map((l) => l.split(':') as [string, string]));
  } finally {
    c.disconnect();
  }
}

/** Calls `check` until it answers true, yielding to the event loop in between. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  // A hang guard for a broken cluster, not a timing assumption.
  const guard = Date.now() + 60_000;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > guard) throw new Error(`cluster never reached: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts six nodes, joins them as 3 masters with a replica each, waits for state ok. */
export async function startRedisCluster(bin: {
  server: string;
  cli: string;
}): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'line-token-cluster-'));
  const ports = await freePorts(12);
  const nodes: Node[] = [];
  const closeAll = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => stop(n.child)));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 6; i++) {
      const port = ports[i]!;
      nodes.push({
        port,
        child: await launch(bin.server, port, ports[i + 6]!, join(dir, `n${i}`)),
      });
    }
    // A hang guard: redis-cli waits for the nodes to agree, forever if they never do, and a
    // synchronous wait would block the process's every timer with it.
    const create = spawnSync(
      bin.cli,
      ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'],
      { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' },
    ); // prettier-ignore
    if (create.status !== 0)
      throw new Error(
        `redis-cli --cluster create failed (${create.error?.message ?? `exit ${create.status}`}):\n${create.stdout}${create.stderr}`,
      );
    for (const node of nodes) {
      await until(async () => {
        const info = await clusterInfo(node.port);
        return info.cluster_state === 'ok' && info.cluster_known_nodes === '6' && info.cluster_slots_ok === '16384';
      }, `state ok on ${node.port}`); // prettier-ignore
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  const admin = (port: number): Redis => {
    const c = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    c.on('error', () => {});
    return c;
  };
  const live = (): Node[] =>
    nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null);
  /** [slot start, end, master port, replica ports...] as a live node sees them. */
  const slotsSeenBy = async (port: number): Promise<Array<[number, number, number, number[]]>> => {
    const c = admin(port);
    try {
      const slots = (await c.call('CLUSTER', 'SLOTS')) as Array<[number, number, ...Array<[string, number]>]>;
      return slots.map(([start, end, master, ...replicas]) => [start, end, (master as [string, number])[1], replicas.map((r) => r[1])]);
    } finally {
      c.disconnect();
    }
  }; // prettier-ignore
  const slotOf = async (key: string): Promise<number> => {
    const c = admin(live()[0]!.port);
    try {
      return (await c.call('CLUSTER', 'KEYSLOT', key)) as number;
    } finally {
      c.disconnect();
    }
  };
  const ownerOf = async (key: string, seenBy: number): Promise<[number, number[]]> => {
    const slot = await slotOf(key);
    const range = (await slotsSeenBy(seenBy)).find(([s, e]) => s <= slot && slot <= e);
    if (range === undefined) throw new Error(`no node owns slot ${slot}`);
    return [range[2], range[3]];
  };

  // The replicas attach after `cluster create` returns: wait until every node sees a
  // replica for each master and every replica's link to its master is up, so a failover
  // always has someone to promote and data to promote with.
  try {
    for (const node of nodes) {
      await until(async () => {
        const ranges = await slotsSeenBy(node.port);
        return ranges.length > 0 && ranges.every(([, , , replicas]) => replicas.length > 0);
      }, `replicas known to ${node.port}`);
    }
    const replicaPorts = (await slotsSeenBy(nodes[0]!.port)).flatMap(([, , , r]) => r);
    for (const port of replicaPorts) {
      await until(async () => {
        const c = admin(port);
        try {
          const role = (await c.call('ROLE')) as unknown[];
          return role[0] === 'slave' && role[3] === 'connected';
        } finally {
          c.disconnect();
        }
      }, `replica ${port} in sync`);
    }
  } catch (error) {
    await closeAll();
    throw error;
  }

  return {
    nodes: nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
    async masterOf(key) {
      return (await ownerOf(key, live()[0]!.port))[0];
    },
    async failover(key) {
      const [masterPort, replicas] = await ownerOf(key, live()[0]!.port);
      const replicaPort = replicas[0];
      if (replicaPort === undefined) throw new Error(`the master on ${masterPort} has no replica`);
      const master = nodes.find((n) => n.port === masterPort);
      if (master === undefined) throw new Error(`no node listens on ${masterPort}`);
      await stop(master.child, 'SIGKILL');
      // TAKEOVER: the replica promotes itself at once, without the other masters' vote,
      // instead of after cluster-node-timeout plus an election.
      const replica = admin(replicaPort);
      try {
        await replica.call('CLUSTER', 'FAILOVER', 'TAKEOVER');
        await until(
          async () => ((await replica.call('ROLE')) as [string])[0] === 'master',
          'replica promoted',
        );
      } finally {
        replica.disconnect();
      }
      const promotedAt = performance.now();
      // Every other live node has learnt the new owner (gossip), so clients that refresh
      // their slot map anywhere find it.
      for (const node of live()) {
        await until(async () => (await ownerOf(key, node.port))[0] === replicaPort, `new owner seen by ${node.port}`);
      } // prettier-ignore
      return { killedPort: masterPort, promotedPort: replicaPort, promotedAt };
    },
    close: closeAll,
  };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}
