// The messages between the fleet test and its worker processes.

/** Parent → worker. */
export type ParentMessage =
  | {
      type: 'init';
      now: number;
      emulatorUrl: string;
      /** Which client the worker uses. */
      client: 'ioredis' | 'node-redis';
      /** A single node's URL, or the cluster's nodes. */
      redisUrl?: string;
      clusterNodes?: Array<{ host: string; port: number }>;
      prefix: string;
      channelId: string;
      channelSecret: string;
      kid: string;
      privateJwk: string;
      tokenExpSec: number;
      lockTtlMs: number;
      commandTimeoutMs: number;
      encryptionKey?: string;
    }
  /** Set the clock to `now`, run `callers` concurrent getToken(), report. */
  | { type: 'round'; id: number; now: number; callers: number }
  /** Hold every store write (after LINE answered) until `release-writes`. */
  | { type: 'hold-writes' }
  | { type: 'release-writes' }
  /** Only move the clock. */
  | { type: 'clock'; now: number }
  /** Answer `client-ready` once the Redis client is connected and ready for commands. */
  | { type: 'await-client' }
  | { type: 'close' };

/** Worker → parent. */
export type WorkerMessage =
  | { type: 'ready'; pid: number }
  | { type: 'lock-acquired'; pid: number }
  | { type: 'write-held'; pid: number }
  | { type: 'client-ready'; pid: number }
  | { type: 'warning'; code: string; message: string }
  | {
      type: 'round-done';
      id: number;
      pid: number;
      tokens: string[];
      failures: number;
      errors: string[];
      degraded: boolean;
      issued: number;
      adopted: number;
    }
  | { type: 'crashed'; pid: number; error: string }
  | { type: 'closed'; pid: number };
