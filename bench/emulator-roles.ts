// The roles of bench/emulator.bench.ts other than the emulator: the bare servers it is
// measured against, and the autocannon load generator, each run in its own process.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const DURATION_SEC = 4;
const CONNECTIONS = 16;
const FORM = 'application/x-www-form-urlencoded';
/** Load settings, for the bench's printout. */
export const LOAD = { connections: CONNECTIONS, durationSec: DURATION_SEC };

export const CONSTANT = JSON.stringify({
  access_token: 'eyJhbGciOiJIUzI1NiJ9.bare-server-constant-token-value.c2lnbmF0dXJl',
  token_type: 'Bearer',
  expires_in: 900,
});

export const PUSH_ANSWER = JSON.stringify({
  sentMessages: [{ id: '100000000000000000', quoteToken: 'q'.repeat(64) }],
});

/** What the load generator is asked to send: one body, or many taken in turn. */
export interface Target {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  /** Request headers (default: a form's content type). */
  headers?: Record<string, string>;
  /** A JSON file holding string[]: the bodies, one per request, round robin. */
  bodiesFile?: string;
}

/**
 * Each "cpu" line on stdin is answered with this process's CPU time and requests served so
 * far: CPU time per request does not depend on how busy the rest of the machine is, so its
 * ratio estimates the throughput ratio of a quiet machine, where a server is CPU-bound.
 */
export function answerCpuQueries(requests: () => number | Promise<number>): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line !== 'cpu') return;
    void Promise.resolve(requests()).then((served) => {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`${JSON.stringify({ cpuUs: user + system, requests: served })}\n`);
    });
  });
}

/**
 * Runs a server role: listens on a free loopback port, prints its URL as the role's first
 * line, answers "cpu" queries with `served()`, and closes when stdin ends.
 */
export async function serveRole(server: Server, served: () => number): Promise<void> {
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  answerCpuQueries(served);
  process.stdin.on('end', () => server.close());
}

/** The bare server: constant JSON, or with `keyFile` the minimal RS256 check first. */
export async function roleBare(keyFile?: string): Promise<void> {
  const keys = new Map<string, KeyObject>();
  if (keyFile) {
    const { jwk, kids } = JSON.parse(readFileSync(keyFile, 'utf8')) as {
      jwk: import('node:crypto').JsonWebKey;
      kids: string[];
    };
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    for (const kid of kids) keys.set(kid, key);
  }
  const answer = (res: import('node:http').ServerResponse, status: number, body: string) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  let served = 0;
  const server = createServer((req, res) => {
    served++;
    if (req.url === '/v2/bot/message/push') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString());
        answer(res, 200, PUSH_ANSWER);
      });
      return;
    }
    if (!keyFile) {
      req.resume();
      answer(res, 200, CONSTANT);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const assertion =
        new URLSearchParams(Buffer.concat(chunks).toString()).get('client_assertion') ?? '';
      const [h = '', p = '', s = ''] = assertion.split('.');
      const kid = (JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string }).kid;
      const key = keys.get(kid);
      const ok =
        key !== undefined &&
        verify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'));
      answer(res, ok ? 200 : 400, ok ? CONSTANT : '{"error":"invalid_client"}');
    });
  });
  await serveRole(server, () => served);
}

export async function roleLoad(target: Target): Promise<void> {
  // autocannon ships no types; this is the slice of its API used here.
  const autocannon = createRequire(import.meta.url)('autocannon') as (options: object) => Promise<{
    requests: { average: number };
    non2xx: number;
    errors: number;
  }>;
  const bodies = target.bodiesFile
    ? (JSON.parse(readFileSync(target.bodiesFile, 'utf8')) as string[])
    : undefined;
  let next = 0;
  const result = await autocannon({
    url: target.url,
    method: target.method,
    connections: CONNECTIONS,
    duration: DURATION_SEC,
    headers: target.headers ?? { 'content-type': FORM },
    ...(bodies
      ? {
          requests: [
            {
              method: 'POST',
              setupRequest: (req: object) => ({ ...req, body: bodies[next++ % bodies.length] }),
            },
          ],
        }
      : target.body === undefined
        ? {}
        : { body: target.body }),
  });
  process.stdout.write(
    `${JSON.stringify({ rps: result.requests.average, non2xx: result.non2xx, errors: result.errors })}\n`,
  );
}
