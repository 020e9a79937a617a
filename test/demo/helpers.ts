// Shared by the demo's tests: the built entry point run as `npm start` runs it, and the
// check that no token-shaped string reached the output.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

/** `npm start` runs this file. Tests assume `dist/` is fresh (`npm test` builds first). */
export const DEMO_MAIN = fileURLToPath(new URL('../../dist/demo/main.js', import.meta.url));

/** A running `node dist/demo/main.js` with its output collected as it comes. */
export interface DemoChild {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout holds a match of `pattern`; rejects if the process ends first. */
  waitForStdout(pattern: RegExp): Promise<void>;
  /** Resolves with the exit code (or the signal's name when killed). */
  readonly exited: Promise<number | string>;
}

/**
 * Starts the demo with only PATH and `env` in its environment, so LINE_* variables of the
 * developer's shell cannot switch the mode.
 */
export function startDemo(env: Record<string, string> = {}): DemoChild {
  const child = spawn(process.execPath, [DEMO_MAIN], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      for (const w of waiters.splice(0)) w();
    }),
  );
  let ended = false;
  void exited.then(() => (ended = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout(pattern) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out)) resolve();
          else if (ended) reject(new Error(`exited before ${pattern}:\n${out}\n${err}`));
          else waiters.push(check);
        };
        check();
      });
    },
  };
}

/**
 * Asserts the output holds nothing shaped like a token: no JWS (`eyJ...`, v2.1 and
 * stateless tokens) and no long base64 run (short- and long-lived tokens are 172
 * characters), nor any of `known` tokens verbatim.
 */
export function assertNoTokens(output: string, known: readonly string[] = []): void {
  assert.doesNotMatch(output, /eyJ[A-Za-z0-9_-]{8,}/);
  assert.doesNotMatch(output, /[A-Za-z0-9+/_=-]{40,}/);
  for (const token of known) assert.ok(!output.includes(token), 'a token was printed');
}

/** An RSA-2048 pair from plain node:crypto: the private JWK text and the Console's public JWK. */
export function makeKeyPair(): { privateJwkText: string; publicJwk: Record<string, string> } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pub = publicKey.export({ format: 'jwk' });
  return {
    privateJwkText: JSON.stringify({ ...privateKey.export({ format: 'jwk' }), alg: 'RS256' }),
    publicJwk: { kty: 'RSA', alg: 'RS256', use: 'sig', e: pub.e as string, n: pub.n as string },
  };
}
