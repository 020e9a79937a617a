// Assertion signing through our signer vs raw node:crypto RSA-2048 signing of the same bytes.
//
// Both sides sign the very same `header.payload` (a fixed clock makes our claims constant),
// and RSASSA-PKCS1-v1_5 is deterministic, so the two signatures must be identical: checked
// before timing. Rounds alternate between the two so that machine noise (other processes
// on a shared 2-core box) hits both alike; the median round is reported.
//
// The headline ratio is one signature at a time on both sides. Raw `sign()` is synchronous
// and runs on the main thread; on Node ours signs with node:crypto too (the package's
// `node` condition; src/node/signing.ts). The WebCrypto floor row is what the portable
// path, which other runtimes take, could reach here: WebCrypto signs on libuv's thread pool
// and answers through a promise, a thread hop per signature.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAssertionSigner } from '../src/assertion/index.js';
import { summary } from './stats.js';

// Many short paired rounds: load from other processes changes slowly compared with one
// round, so each ratio compares the two sides under nearly the same conditions.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 41);
const PER_ROUND = Number(process.env['BENCH_SIGNATURES'] ?? 100);
const GOAL = 0.9;

const root = dirname(fileURLToPath(import.meta.url));
const pem = readFileSync(join(root, '../test/assertion/fixtures/test-rsa-2048-a.pem'), 'utf8');
const keyObject = createPrivateKey(pem);

const signer = createAssertionSigner({
  channelId: '1573163733',
  kid: '1dab2f4f-b73f-47a3-b99d-1730e22b9544',
  privateKey: keyObject.export({ format: 'jwk' }),
  tokenExpSec: 86_400,
  now: () => 1_700_000_000_000,
});

const first = await signer.sign();
const signingInput = Buffer.from(first.slice(0, first.lastIndexOf('.')));
const rawSignature = sign('sha256', signingInput, keyObject).toString('base64url');
if (rawSignature !== first.slice(first.lastIndexOf('.') + 1)) {
  throw new Error('our signature differs from raw node:crypto over the same bytes');
}

async function ours(count: number): Promise<void> {
  for (let i = 0; i < count; i++) await signer.sign();
}

async function oursInFlight(count: number, inFlight: number): Promise<void> {
  let left = count;
  const lane = async () => {
    while (left-- > 0) await signer.sign();
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

// The platform floor under ours: WebCrypto signing the same bytes with no JOSE work around it.
const webCryptoKey = await crypto.subtle.importKey(
  'jwk',
  keyObject.export({ format: 'jwk' }),
  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  false,
  ['sign'],
);
async function bareWebCrypto(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await crypto.subtle.sign('RSASSA-PKCS1-v1_5', webCryptoKey, signingInput);
  }
}

function raw(count: number): void {
  for (let i = 0; i < count; i++) sign('sha256', signingInput, keyObject);
}

async function opsPerSec(run: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return PER_ROUND / seconds;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

// Warm up both paths (JIT, thread pool, key caches).
await ours(50);
raw(50);
await bareWebCrypto(50);

const rows = {
  ours: [] as number[],
  raw: [] as number[],
  ratio: [] as number[],
  subtle: [] as number[],
  floor: [] as number[],
  par: [] as number[],
};
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so neither side always runs right after the other.
  let o: number;
  let r: number;
  if (round % 2 === 0) {
    o = await opsPerSec(() => ours(PER_ROUND));
    r = await opsPerSec(() => raw(PER_ROUND));
  } else {
    r = await opsPerSec(() => raw(PER_ROUND));
    o = await opsPerSec(() => ours(PER_ROUND));
  }
  rows.ours.push(o);
  rows.raw.push(r);
  rows.ratio.push(o / r);
  const bare = await opsPerSec(() => bareWebCrypto(PER_ROUND));
  rows.subtle.push(bare);
  rows.floor.push(bare / r);
  rows.par.push(await opsPerSec(() => oursInFlight(PER_ROUND, 2)));
}

const fmt = (n: number) => n.toFixed(0).padStart(6);
console.log(
  `assertion signing, RSA-2048 RS256, same ${signingInput.length}-byte header.payload, ` +
    `${ROUNDS} rounds x ${PER_ROUND} signatures, medians`,
);
console.log(
  `  ours   createAssertionSigner().sign(), 1 at a time  ${fmt(median(rows.ours))} signatures/s`,
);
console.log(
  `  raw    node:crypto sign('sha256', bytes, key)      ${fmt(median(rows.raw))} signatures/s`,
);
console.log(`  ratio  ours/raw  ${summary(rows.ratio, GOAL, true)}`);
console.log(
  `  floor  bare WebCrypto subtle.sign / raw, 1 at a time: ${summary(rows.floor)}` +
    ` (the portable path's floor; ours/bare ${(median(rows.ours) / median(rows.subtle)).toFixed(2)})`,
);
console.log(
  `  also   ours with 2 in flight                      ${fmt(median(rows.par))} signatures/s, ` +
    `${(median(rows.par) / median(rows.raw)).toFixed(2)} of raw`,
);
