// One process of the Deno KV fleet test (deno-kv-fleet.test.ts). The parent owns the
// emulator's virtual clock: each stdin line `<now>` starts a round of concurrent
// getToken() calls at that time, answered on stdout as one JSON line.
import { TokenManager } from '../../dist/index.js';
import { DenoKvTokenStore, type DenoKvLike } from '../../dist/deno-kv/index.js';

interface DenoGlobals {
  args: string[];
  openKv(path: string): Promise<DenoKvLike & { close(): void }>;
  stdin: { readable: ReadableStream<BufferSource> };
}
const Deno = (globalThis as unknown as { Deno: DenoGlobals }).Deno;

const config = JSON.parse(Deno.args[0] ?? '') as {
  baseUrl: string;
  channelId: string;
  channelSecret: string;
  kid: string;
  privateJwk: object;
  tokenExpSec: number;
  kvPath: string;
  encryptionKey: string;
  callers: number;
};

let virtualNow = 0;
// Store trouble is reported with the round: a degraded store would explain an extra issue.
const warnings: string[] = [];
const kv = await openKvRetrying(config.kvPath);

// Deno creates a new local KV file's schema on first open; when several processes open a
// new file at the same moment, the losers fail with "database is locked" at once (seen on a
// loaded machine). As the README advises users starting a fleet on a new file: retry briefly.
async function openKvRetrying(path: string): Promise<DenoKvLike & { close(): void }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Deno.openKv(path);
    } catch (err) {
      if (attempt >= 20 || !String((err as Error)?.message).includes('database is locked'))
        throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}
const manager = new TokenManager({
  strategy: {
    type: 'v2.1',
    channelId: config.channelId,
    kid: config.kid,
    privateKey: config.privateJwk,
    tokenExpSec: config.tokenExpSec,
    channelSecret: config.channelSecret,
  },
  clientOptions: { baseUrl: config.baseUrl },
  store: new DenoKvTokenStore({ kv, encryptionKey: config.encryptionKey }),
  now: () => virtualNow,
  onWarning: (w) => {
    const cause = w.cause as { message?: string; cause?: { message?: string } } | undefined;
    warnings.push(`${w.code}: ${cause?.message ?? ''} ${cause?.cause?.message ?? ''}`);
  },
});

async function round(now: number): Promise<object> {
  virtualNow = now;
  const results = await Promise.allSettled(
    Array.from({ length: config.callers }, () => manager.getToken()),
  );
  const tokens = new Set<string>();
  const errors: string[] = [];
  for (const r of results) {
    if (r.status === 'fulfilled') tokens.add(r.value);
    else errors.push(String((r.reason as Error)?.stack ?? r.reason));
  }
  return {
    tokens: [...tokens],
    failures: errors.length,
    errors: errors.slice(0, 3),
    warnings: warnings.splice(0),
  };
}

console.log(JSON.stringify({ ready: true }));
let buffered = '';
for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  buffered += chunk;
  let newline: number;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, newline).trim();
    buffered = buffered.slice(newline + 1);
    if (line === 'exit') {
      await manager.close();
      kv.close();
      console.log(JSON.stringify({ closed: true }));
      // Let stdout flush, then end: the loop would otherwise wait for more input.
      (globalThis as unknown as { Deno: { exit(code: number): never } }).Deno.exit(0);
    }
    console.log(JSON.stringify(await round(Number(line))));
  }
}
