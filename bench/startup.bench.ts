// One-shot paths, each in fresh processes, the two sides alternating round by round:
//
// 1. `line-token --version` vs `node -e 0`: what the CLI (package.json's `bin`, a CommonJS
//    launcher) adds to bare Node's start-up.
// 2. `line-token assertion ... --private-key key.json` vs a jsonwebtoken script doing the
//    same job (read the JWK file, sign the same claims, print): whole-process wall time;
//    and the same command through the ES entry, the route the launcher avoids for it.
// 3. Inside a fresh process: key import + first signature from a JWK file, ours
//    (signAssertion with the file's text) vs jsonwebtoken (createPrivateKey + jwt.sign);
//    timed in the child after the library is loaded, library load printed apart (on Node
//    ours imports and signs with node:crypto); and the floor under the portable path,
//    bare WebCrypto doing the same, vs jsonwebtoken.
//
// Uses dist/ (npm run bench builds first). Ratios ours / baseline, medians and ranges.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summary } from './stats.js';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 15);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};
const cli = join(root, bin['line-token']!);
const jwkFile = join(root, 'test/assertion/fixtures/seed-001-private.jwk.json');
const CHANNEL = '1573163733';
const KID = '1dab2f4f-b73f-47a3-b99d-1730e22b9544';

/** Runs `node ...args` to completion; returns its wall time in ms and its stdout. */
function node(args: string[]): { ms: number; stdout: string } {
  const t0 = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: root });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr}`);
  return { ms, stdout: run.stdout };
}

/** Alternating rounds of two sides; returns the per-round ratios a/b of `measure`. */
function alternate<T>(a: () => T, b: () => T, measure: (x: T) => number): number[] {
  a();
  b(); // warm the file system cache for both
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let x: T;
    let y: T;
    if (round % 2 === 0) {
      x = a();
      y = b();
    } else {
      y = b();
      x = a();
    }
    ratios.push(measure(x) / measure(y));
  }
  return ratios;
}

const ms = (r: { ms: number }) => r.ms;

console.log(
  `one-shot paths, fresh processes, ${ROUNDS} alternating rounds, ratios ours / baseline`,
);

const version = alternate(
  () => node([cli, '--version']),
  () => node(['-e', '0']),
  ms,
);
console.log(`line-token --version / node -e 0\n  ${summary(version, 1)}`);
// Why the launcher is CommonJS: an ES module that only prints a string already costs more.
const fileFloor = alternate(
  () => node([join(here, 'one-shot/print-version.mjs')]),
  () => node(['-e', '0']),
  ms,
);
console.log(`  also: a one-line ES module printing a string / node -e 0  ${summary(fileFloor)}`);

// Both print one assertion for the same claims from the same JWK file.
const assertionArgs = [
  'assertion',
  '--channel-id',
  CHANNEL,
  '--kid',
  KID,
  '--private-key',
  jwkFile,
  '--token-exp',
  '86400',
];
const jwtScript = () => node([join(here, 'one-shot/jsonwebtoken.mjs'), jwkFile, '--print']);
const assertion = alternate(() => node([cli, ...assertionArgs]), jwtScript, ms);
console.log(`line-token assertion ... / a jsonwebtoken script\n  ${summary(assertion, 0.85)}`);
// Why the launcher runs it from light.cjs: the same command through the ES entry's chunks.
const esRoute = alternate(
  () => node([join(root, 'dist/cli/main.js'), ...assertionArgs]),
  jwtScript,
  ms,
);
console.log(`  also: the same through the ES entry (dist/cli/main.js)  ${summary(esRoute)}`);

const timings = (r: { stdout: string }) =>
  JSON.parse(r.stdout) as { loadMs: number; signMs: number };
const load: number[] = [];
const first = alternate(
  () => node([join(here, 'one-shot/ours.mjs'), jwkFile]),
  () => node([join(here, 'one-shot/jsonwebtoken.mjs'), jwkFile]),
  (r) => timings(r).signMs,
);
// Library load, measured in separate runs so the ratio above stays one comparison.
for (let round = 0; round < Math.min(ROUNDS, 7); round++) {
  const o = timings(node([join(here, 'one-shot/ours.mjs'), jwkFile]));
  const j = timings(node([join(here, 'one-shot/jsonwebtoken.mjs'), jwkFile]));
  load.push(o.loadMs / j.loadMs);
}
// The WebCrypto floor: bare crypto.subtle import + sign vs the same jsonwebtoken script.
const floor = alternate(
  () => node([join(here, 'one-shot/webcrypto.mjs'), jwkFile]),
  () => node([join(here, 'one-shot/jsonwebtoken.mjs'), jwkFile]),
  (r) => timings(r).signMs,
);
console.log(
  `fresh process, key import + first signature from a JWK file / jsonwebtoken's\n  ${summary(first, 1)}`,
);
console.log(
  `  portable floor: bare WebCrypto importKey + sign / jsonwebtoken's  ${summary(floor)}`,
);
console.log(`  also: loading the library / loading jsonwebtoken  ${summary(load)}`);
