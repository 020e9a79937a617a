// Emulator throughput over loopback, each case side by side with the bare server it is
// measured against, in the same run on the same machine:
//
//   v2.1 issue (POST /oauth2/v2.1/token)   vs  bare node:http + node:crypto: parse the form,
//                                               find the key by kid, verify RS256, answer a
//                                               constant JSON                   goal >= 0.85
//   stateless issue (POST /oauth2/v3/token) vs  bare node:http answering a constant JSON
//                                                                               goal >= 0.55
//   Messaging push (POST /v2/bot/message/push)  vs  bare node:http: read the body, parse it
//                                               as JSON, answer a constant JSON  goal >= 0.6
//     (one text message to a friend, with a valid short-lived token)
//
// A third server in each round is the floor under any emulator that keeps state
// (bench/emulator-floor.ts): only what docs/line-rules.md requires on the happy path, inline, with
// the cheapest techniques we know (pooled random bytes, a strict hand-written form parser,
// pruning only when a channel is full, template answers, headers as an array, the answers
// of one turn of the event loop written together).
//
// Processes: the servers, the autocannon load generator, and this orchestrator (which only
// waits). Rounds alternate bare/emulator so drift (thermal, noisy
// neighbours) hits both alike. The v2.1 case spreads its assertions over CHANNELS channels
// with 1 s tokens, so LINE's 30-live-tokens limit is never what gets measured.
//
//   node --import tsx bench/emulator.bench.ts            # the whole comparison
//   node --import tsx bench/emulator.bench.ts --role X   # internal: emulator | bare | load
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  answerCpuQueries,
  LOAD,
  roleBare,
  roleLoad,
  serveRole,
  type Target,
} from './emulator-roles.js';

const SELF = fileURLToPath(import.meta.url);
const ROUNDS = 3;
/** How long a role may take to start: the emulator role first signs an assertion per channel. */
const ROLE_START_MS = 60_000;
const CHANNELS = 1_000;
const FORM = 'application/x-www-form-urlencoded';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SECRET = '0123456789abcdef0123456789abcdef';
const channelId = (i: number) => String(1_500_000_000 + i);
const PUSH_BODY = JSON.stringify({
  to: `U${'0123456789abcdef'.repeat(2)}`,
  messages: [{ type: 'text', text: 'Hello from the bench' }],
});
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** The assertions: one per channel, each signed for its own kid, with 1 s tokens. */
function assertionBodies(privateKey: KeyObject, kids: string[]): string[] {
  const exp = Math.floor(Date.now() / 1000) + 1800;
  return kids.map((kid, i) => {
    const ch = channelId(i);
    const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({
      iss: ch,
      sub: ch,
      aud: 'https://api.line.me/',
      exp,
      token_exp: 1,
    })}`;
    const assertion = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    return new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    }).toString();
  });
}

const publicJwkOf = (publicKey: KeyObject) => ({
  ...publicKey.export({ format: 'jwk' }),
  alg: 'RS256',
  use: 'sig',
});

async function roleEmulator(): Promise<void> {
  const { startEmulator } = await import('../src/emulator/index.js');
  // Rate limits off: they would cap the emulator at 2,000 req/s per channel by design.
  const channels = Array.from({ length: CHANNELS }, (_, i) => ({
    id: channelId(i),
    secret: SECRET,
  }));
  const emu = await startEmulator({ channels, rateLimit: false });
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kids: string[] = [];
  for (const c of channels)
    kids.push((await emu.admin.registerKey(c.id, publicJwkOf(publicKey))).kid);
  const bodiesFile = join(tmpdir(), `line-token-bench-${process.pid}.json`);
  writeFileSync(bodiesFile, JSON.stringify(assertionBodies(privateKey, kids)));
  // The bare server gets the same key under the same kids, so both verify the same bodies.
  const keyFile = join(tmpdir(), `line-token-bench-${process.pid}.key.json`);
  writeFileSync(keyFile, JSON.stringify({ jwk: publicJwkOf(publicKey), kids }));
  // The push case's token: a short-lived one (30 days), for a friend of channel 0.
  const issued = await fetch(`${emu.url}/v2/oauth/accessToken`, {
    method: 'POST',
    headers: { 'content-type': FORM },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: channelId(0),
      client_secret: SECRET,
    }),
  });
  const pushToken = ((await issued.json()) as { access_token: string }).access_token;
  await emu.admin.addFriend(channelId(0), {
    userId: (JSON.parse(PUSH_BODY) as { to: string }).to,
  });
  process.stdout.write(`${JSON.stringify({ url: emu.url, bodiesFile, keyFile, pushToken })}\n`);
  answerCpuQueries(async () => {
    const { requests, messagingApi = {} } = await emu.admin.stats();
    const sum = (counts: Partial<Record<string, number>>) =>
      Object.values(counts).reduce<number>((a, b) => a + (b ?? 0), 0);
    return sum(requests) + Object.values(messagingApi).reduce((a, c) => a + sum(c ?? {}), 0);
  });
  // The bodies and the public key are only for this run: removed however the role ends.
  process.once('exit', () => {
    for (const file of [bodiesFile, keyFile]) rmSync(file, { force: true });
  });
  process.stdin.on('end', () => void emu.close());
}

interface Role {
  child: ChildProcess;
  info: Record<string, unknown>;
  /** Asks a server role for its CPU time (µs) and requests served so far. */
  cpu(): Promise<{ cpuUs: number; requests: number }>;
}

/** Starts a role in its own process and reads the first JSON line it prints. */
function startRole(role: string, arg?: string): Promise<Role> {
  const child = spawn(
    process.execPath,
    [
      // Profiling: BENCH_CPU_PROF=dir writes the emulator role's CPU profile there.
      ...(role === 'emulator' && process.env['BENCH_CPU_PROF']
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_CPU_PROF']}`]
        : []),
      '--import',
      'tsx',
      SELF,
      '--role',
      role,
      ...(arg ? [arg] : []),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const waiting: Array<(line: string) => void> = [];
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  return new Promise((resolve, reject) => {
    // A role that never prints its first line (seen once in a while with tsx's loader
    // thread on a cold cache, the process idle) fails the bench instead of hanging it.
    const deadline = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the ${role} role printed nothing in ${ROLE_START_MS / 1000} s: run again`));
    }, ROLE_START_MS);
    void next().then((line) => {
      clearTimeout(deadline);
      resolve({
        child,
        info: JSON.parse(line) as Record<string, unknown>,
        cpu: async () => {
          const answer = next();
          child.stdin!.write('cpu\n');
          return JSON.parse(await answer) as { cpuUs: number; requests: number };
        },
      });
    });
    child.once('exit', (code) => {
      clearTimeout(deadline);
      reject(new Error(`${role} exited early with code ${code}`));
    });
  });
}

/** One load run: requests per second, and the server's CPU µs per request meanwhile. */
async function measure(target: Target, server: Role): Promise<{ rps: number; cpuPerReq: number }> {
  const before = await server.cpu();
  const { child, info } = await startRole('load', JSON.stringify(target));
  if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  const afterRun = await server.cpu();
  if ((info['non2xx'] as number) > 0 || (info['errors'] as number) > 0) {
    throw new Error(
      `load run on ${target.url} had ${String(info['non2xx'])} non-2xx answers and ${String(info['errors'])} errors`,
    );
  }
  return {
    rps: info['rps'] as number,
    // The query itself costs the server one stats call: noise next to thousands of requests.
    cpuPerReq: (afterRun.cpuUs - before.cpuUs) / Math.max(1, afterRun.requests - before.requests),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} req/s`;

async function orchestrate(): Promise<void> {
  const emulator = await startRole('emulator');
  const emuUrl = emulator.info['url'] as string;
  const bodiesFile = emulator.info['bodiesFile'] as string;
  const bareVerify = await startRole('bare', emulator.info['keyFile'] as string);
  const bareConstant = await startRole('bare');
  const floor = await startRole('floor', emulator.info['keyFile'] as string);
  const floorUrl = floor.info['url'] as string;
  const stateless = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: channelId(0),
    client_secret: SECRET,
  }).toString();
  const push = {
    method: 'POST' as const,
    body: PUSH_BODY,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${emulator.info['pushToken'] as string}`,
    },
  };
  const cases = [
    {
      name: 'v2.1 issue (POST /oauth2/v2.1/token) vs bare node:http + node:crypto RS256 verify',
      emu: { url: `${emuUrl}/oauth2/v2.1/token`, method: 'POST' as const, bodiesFile },
      bare: {
        url: `${bareVerify.info['url'] as string}/oauth2/v2.1/token`,
        method: 'POST' as const,
        bodiesFile,
      },
      bareRole: bareVerify,
      floor: { url: `${floorUrl}/oauth2/v2.1/token`, method: 'POST' as const, bodiesFile },
      goal: 0.85,
    },
    {
      name: 'stateless issue (POST /oauth2/v3/token) vs bare node:http constant JSON',
      emu: { url: `${emuUrl}/oauth2/v3/token`, method: 'POST' as const, body: stateless },
      bare: {
        url: `${bareConstant.info['url'] as string}/oauth2/v3/token`,
        method: 'POST' as const,
        body: stateless,
      },
      bareRole: bareConstant,
      floor: { url: `${floorUrl}/oauth2/v3/token`, method: 'POST' as const, body: stateless },
      goal: 0.55,
    },
    {
      name: 'Messaging push (POST /v2/bot/message/push) vs bare node:http JSON parse + constant JSON',
      emu: { ...push, url: `${emuUrl}/v2/bot/message/push` },
      bare: { ...push, url: `${bareConstant.info['url'] as string}/v2/bot/message/push` },
      bareRole: bareConstant,
      floor: undefined,
      goal: 0.6,
    },
  ];
  console.log(
    `emulator vs bare servers, autocannon ${LOAD.connections} connections, ` +
      `${ROUNDS} x ${LOAD.durationSec} s each, alternating; medians`,
  );
  let failed = false;
  try {
    for (const c of cases) {
      const bareRuns: Array<{ rps: number; cpuPerReq: number }> = [];
      const emuRuns: Array<{ rps: number; cpuPerReq: number }> = [];
      const floorRuns: Array<{ rps: number; cpuPerReq: number }> = [];
      for (let round = 0; round < ROUNDS; round++) {
        bareRuns.push(await measure(c.bare, c.bareRole));
        emuRuns.push(await measure(c.emu, emulator));
        if (c.floor) floorRuns.push(await measure(c.floor, floor));
      }
      const rps = (runs: typeof bareRuns) => median(runs.map((r) => r.rps));
      const cpu = (runs: typeof bareRuns) => median(runs.map((r) => r.cpuPerReq));
      const ratio = rps(emuRuns) / rps(bareRuns);
      // On a quiet machine both servers are CPU-bound: throughput ~ 1 / CPU per request.
      const quiet = cpu(bareRuns) / cpu(emuRuns);
      const verdict = (r: number) =>
        r >= c.goal ? `goal >= ${c.goal}: met` : `goal >= ${c.goal}: NOT met`;
      console.log(
        `${c.name}\n` +
          `  bare     ${fmt(rps(bareRuns))}, ${cpu(bareRuns).toFixed(1)} µs CPU/request\n` +
          `  emulator ${fmt(rps(emuRuns))}, ${cpu(emuRuns).toFixed(1)} µs CPU/request\n` +
          `  ratio    ${ratio.toFixed(2)} measured (${verdict(ratio)}); ${quiet.toFixed(2)} by CPU per request, the quiet-machine estimate (${verdict(quiet)})\n` +
          `  ranges   emulator/bare per round: ${range(emuRuns.map((r, i) => r.rps / bareRuns[i]!.rps))}` +
          (floorRuns.length === 0
            ? ''
            : `\n  floor    a lean stateful server (bench/emulator-floor.ts) / bare: ` +
              `${(rps(floorRuns) / rps(bareRuns)).toFixed(2)} measured, ` +
              `${(cpu(bareRuns) / cpu(floorRuns)).toFixed(2)} by CPU per request`),
      );
    }
  } catch (err) {
    failed = true;
    console.error(`bench failed: ${(err as Error).message}`);
  } finally {
    for (const role of [emulator, bareVerify, bareConstant, floor]) role.child.stdin?.end();
  }
  process.exitCode = failed ? 1 : 0;
}

const roleAt = process.argv.indexOf('--role');
const role = roleAt < 0 ? undefined : process.argv[roleAt + 1];
if (role === 'emulator') await roleEmulator();
else if (role === 'bare') await roleBare(process.argv[roleAt + 2]);
else if (role === 'floor') {
  const { roleFloor } = await import('./emulator-floor.js');
  await roleFloor(process.argv[roleAt + 2]!, channelId, SECRET, serveRole);
} else if (role === 'load') await roleLoad(JSON.parse(process.argv[roleAt + 2] ?? '{}') as Target);
else await orchestrate();
