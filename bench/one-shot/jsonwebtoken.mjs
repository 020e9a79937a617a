// The same one-shot job with jsonwebtoken, the way its users write it: the JWK file turned
// into a KeyObject with node:crypto, then jwt.sign. Prints the same two timings as ours.mjs.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import process from 'node:process';

const t0 = performance.now();
const { default: jwt } = await import('jsonwebtoken');
const t1 = performance.now();
const jwk = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const key = createPrivateKey({ key: jwk, format: 'jwk' });
const now = Math.floor(Date.now() / 1000);
const assertion = jwt.sign(
  {
    iss: '1573163733',
    sub: '1573163733',
    aud: 'https://api.line.me/',
    exp: now + 300,
    token_exp: 86_400,
  },
  key,
  {
    algorithm: 'RS256',
    header: { alg: 'RS256', typ: 'JWT', kid: '1dab2f4f-b73f-47a3-b99d-1730e22b9544' },
  },
);
const t2 = performance.now();
if (assertion.split('.').length !== 3) throw new Error('not a JWS');
if (process.argv[3] === '--print') process.stdout.write(`${assertion}\n`);
else process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, signMs: t2 - t1 })}\n`);
