// Emulator throughput over loopback, side by side with a bare node:http server answering a
// constant JSON, measured in the same run on the same machine. Three processes: the server
// under test, the autocannon load generator, and this orchestrator (which only waits).
// Rounds alternate bare/emulator so drift (thermal, noisy neighbours) hits both alike.
//
//   node --import tsx bench/emulator.bench.ts            # the whole comparison
//   node --import tsx bench/emulator.bench.ts --role X   # internal: emulator | bare | load
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROUNDS = 2;
const DURATION_SEC = 4;
const CONNECTIONS = 16;
const CHANNEL = { id: '1234567890', secret: '0123456789abcdef0123456789abcdef' };
const FORM = 'application/x-www-form-urlencoded';
const CONSTANT = JSON.stringify({
  client_id: CHANNEL.id,
  expires_in: 2_591_999,
  scope: 'profile chat_message.write',
});

/** What the load generator is asked to send. */
interface Target {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
}

async function roleEmulator(): Promise<void> {
  const { generateKeyPairSync, sign } = await import('node:crypto');
  const { startEmulator } = await import('../src/emulator/index.js');
  // Rate limits off: they would cap the emulator at 2,000 req/s per channel by design.
  const emu = await startEmulator({ channels: [CHANNEL], rateLimit: false });
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { kid } = await emu.admin.registerKey(CHANNEL.id, {
    ...publicKey.export({ format: 'jwk' }),
    alg: 'RS256',
    use: 'sig',
  });
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({
    iss: CHANNEL.id,
    sub: CHANNEL.id,
    aud: 'https://api.line.me/',
    exp: Math.floor(Date.now() / 1000) + 1800,
    token_exp: 2_592_000,
  })}`;
  const assertion = `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
  const res = await fetch(`${emu.url}/oauth2/v2.1/token`, {
    method: 'POST',
    headers: { 'content-type': FORM },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }),
  });
  const { access_token: token } = (await res.json()) as { access_token: string };
  process.stdout.write(`${JSON.stringify({ url: emu.url, token })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void emu.close());
}

async function roleBare(): Promise<void> {
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(CONSTANT),
    });
    res.end(CONSTANT);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => server.close());
}

async function roleLoad(target: Target): Promise<void> {
  // autocannon ships no types; this is the slice of its API used here.
  const autocannon = createRequire(import.meta.url)('autocannon') as (options: object) => Promise<{
    requests: { average: number };
    non2xx: number;
    errors: number;
  }>;
  const result = await autocannon({
    url: target.url,
    method: target.method,
    connections: CONNECTIONS,
    duration: DURATION_SEC,
    ...(target.body === undefined ? {} : { body: target.body, headers: { 'content-type': FORM } }),
  });
  process.stdout.write(
    `${JSON.stringify({ rps: result.requests.average, non2xx: result.non2xx, errors: result.errors })}\n`,
  );
}

/** Starts a role in its own process and reads the first JSON line it prints. */
function startRole(
  role: string,
  arg?: string,
): Promise<{ child: ChildProcess; info: Record<string, unknown> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SELF, '--role', role, ...(arg ? [arg] : [])],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) =>
      resolve({ child, info: JSON.parse(line) as Record<string, unknown> }),
    );
    child.once('exit', (code) => reject(new Error(`${role} exited early with code ${code}`)));
  });
}

async function measure(target: Target): Promise<number> {
  const { child, info } = await startRole('load', JSON.stringify(target));
  if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
  if ((info['non2xx'] as number) > 0 || (info['errors'] as number) > 0) {
    throw new Error(
      `load run had ${String(info['non2xx'])} non-2xx answers and ${String(info['errors'])} errors`,
    );
  }
  return info['rps'] as number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} req/s`;

async function orchestrate(): Promise<void> {
  const emulator = await startRole('emulator');
  const bare = await startRole('bare');
  const emuUrl = emulator.info['url'] as string;
  const bareUrl = bare.info['url'] as string;
  const token = emulator.info['token'] as string;
  const stateless = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: CHANNEL.id,
    client_secret: CHANNEL.secret,
  }).toString();
  const cases = [
    {
      name: 'v2.1 verify (GET /oauth2/v2.1/verify)',
      emu: { url: `${emuUrl}/oauth2/v2.1/verify?access_token=${token}`, method: 'GET' as const },
      bare: { url: `${bareUrl}/oauth2/v2.1/verify?access_token=${token}`, method: 'GET' as const },
      goal: 0.5,
    },
    {
      name: 'stateless issue (POST /oauth2/v3/token)',
      emu: { url: `${emuUrl}/oauth2/v3/token`, method: 'POST' as const, body: stateless },
      bare: { url: `${bareUrl}/oauth2/v3/token`, method: 'POST' as const, body: stateless },
      goal: undefined,
    },
  ];
  console.log(
    `emulator vs bare node:http (constant JSON), autocannon ${CONNECTIONS} connections, ` +
      `${ROUNDS} x ${DURATION_SEC} s each, alternating`,
  );
  let failed = false;
  try {
    for (const c of cases) {
      const bareRuns: number[] = [];
      const emuRuns: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bareRuns.push(await measure(c.bare));
        emuRuns.push(await measure(c.emu));
      }
      const ratio = median(emuRuns) / median(bareRuns);
      const verdict =
        c.goal === undefined
          ? ''
          : ratio >= c.goal
            ? ` (goal >= ${c.goal}: met)`
            : ` (goal >= ${c.goal}: NOT met)`;
      console.log(
        `${c.name}\n  bare     ${fmt(median(bareRuns))}\n  emulator ${fmt(median(emuRuns))}\n  ratio    ${ratio.toFixed(2)}${verdict}`,
      );
    }
  } catch (err) {
    failed = true;
    console.error(`bench failed: ${(err as Error).message}`);
  } finally {
    emulator.child.stdin?.end();
    bare.child.stdin?.end();
  }
  process.exitCode = failed ? 1 : 0;
}

const roleAt = process.argv.indexOf('--role');
const role = roleAt < 0 ? undefined : process.argv[roleAt + 1];
if (role === 'emulator') await roleEmulator();
else if (role === 'bare') await roleBare();
else if (role === 'load') await roleLoad(JSON.parse(process.argv[roleAt + 2] ?? '{}') as Target);
else await orchestrate();
