// The floor under any portable signer in a fresh process: the same JWK file imported and
// one RS256 signature made with bare WebCrypto, nothing else. Through globalThis.crypto, as
// a portable library (jose, ours) reaches it: Node sets its WebCrypto layer up on first use
// and signs on its thread pool, which starts on first use too, and both count here as they
// do for a library. (Importing `webcrypto` from node:crypto before the clock starts would
// hide about 2 ms of that set-up.) Prints the same two timings as ours.mjs (loadMs is 0).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { TextEncoder } from 'node:util';

const t1 = performance.now();
const { kty, n, e, d, p, q, dp, dq, qi } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const key = await globalThis.crypto.subtle.importKey(
  'jwk',
  { kty, n, e, d, p, q, dp, dq, qi },
  { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  false,
  ['sign'],
);
const input = new TextEncoder().encode('header.payload of about the same size as an assertion');
await globalThis.crypto.subtle.sign('RSASSA-PKCS1-v1_5', key, input);
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ loadMs: 0, signMs: t2 - t1 })}\n`);
