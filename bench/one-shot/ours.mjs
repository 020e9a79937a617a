// A fresh process signing one LINE assertion with line-token from a JWK file: what a cron
// job or a one-shot script does. Prints the milliseconds spent loading the library and
// spent importing the key and signing, as JSON. Run by bench/startup.bench.ts.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const t0 = performance.now();
const { signAssertion } = await import('../../dist/index.js');
const t1 = performance.now();
const jwkText = readFileSync(process.argv[2], 'utf8');
const assertion = await signAssertion({
  channelId: '1573163733',
  kid: '1dab2f4f-b73f-47a3-b99d-1730e22b9544',
  privateKey: jwkText,
  tokenExpSec: 86_400,
});
const t2 = performance.now();
if (assertion.split('.').length !== 3) throw new Error('not a JWS');
process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, signMs: t2 - t1 })}\n`);
