// Two CLI runs at once must not lose a token: two `line-token token` runs for two channels, started
// together on one store file, 20 trials. A proxy in front of the emulator holds each
// run's issue request until both have arrived, so every trial has both processes write
// the store at the same moment (an event, not a timing margin). Build first (npm test does).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ChannelAccessTokenClient } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { FileTokenStore } from '../../src/manager/stores/file-store.js';
import { makeTestKey, runChild, writeKeyFile } from '../cli/helpers.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const V21_CHANNEL = '1573163733';
const SHORT_CHANNEL = '1573163734';
const SECRET_A = '0123456789abcdef0123456789abcdef';
const SECRET_B = 'fedcba9876543210fedcba9876543210';
const ISSUE_PATHS = new Set(['/oauth2/v2.1/token', '/v2/oauth/accessToken']);
const TRIALS = 20;

/** Forwards to the emulator, holding issue requests until `release()` or `expected` arrived. */
class HoldingProxy {
  readonly #server: Server;
  readonly #target: string;
  #held: Array<() => void> = [];
  /** How many times the held requests were let go because all of them had arrived. */
  together = 0;

  constructor(target: string, expected: number) {
    this.#target = target;
    this.#server = createServer((req, res) => {
      void (async () => {
        const body = await readBody(req);
        const forward = async (): Promise<void> => {
          const answer = await fetch(`${this.#target}${req.url ?? '/'}`, {
            method: req.method ?? 'GET',
            headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
            ...(req.method === 'POST' && { body }),
          });
          res.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          });
          res.end(Buffer.from(await answer.arrayBuffer()));
        };
        const run = (): void => void forward().catch(() => res.destroy());
        if (!ISSUE_PATHS.has((req.url ?? '').split('?')[0] ?? '')) return run();
        this.#held.push(run);
        if (this.#held.length === expected) {
          this.together++;
          this.release();
        }
      })();
    });
  }

  listen(): Promise<string> {
    return new Promise((resolve) => {
      this.#server.listen(0, '127.0.0.1', () => {
        resolve(`http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`);
      });
    });
  }

  /** Lets every held request through (also when a run ended early, so none waits forever). */
  release(): void {
    const held = this.#held;
    this.#held = [];
    for (const run of held) run();
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

let emu: Emulator;
let proxy: HoldingProxy;
let proxyUrl: string;
const dir = tempDirFor(suiteScope(), 'line-token-cli-');
let keyFile: string;
let kid: string;

before(async () => {
  emu = await startEmulator({
    channels: [
      { id: V21_CHANNEL, secret: SECRET_A },
      { id: SHORT_CHANNEL, secret: SECRET_B },
    ],
  });
  proxy = new HoldingProxy(emu.url, 2);
  proxyUrl = await proxy.listen();
  const key = makeTestKey();
  keyFile = await writeKeyFile(dir, 'assertion.jwk.json', key.privateJwkText, 0o600);
  kid = (await emu.admin.registerKey(V21_CHANNEL, key.publicJwk)).kid;
});

after(async () => {
  await proxy?.close();
  await emu?.close();
});

async function counts(): Promise<number[]> {
  const { requests } = await emu.admin.stats();
  return [
    requests['issueV21'] ?? 0,
    requests['issueShortLived'] ?? 0,
    (await emu.admin.listTokens(V21_CHANNEL)).length,
    (await emu.admin.listTokens(SHORT_CHANNEL)).length,
  ];
}

describe('line-token token: two runs for two channels started together on one store', () => {
  test(`${TRIALS} trials: both entries are in the store every time, and each channel issued exactly once`, async () => {
    const failures: string[] = [];
    const direct = new ChannelAccessTokenClient({ baseUrl: emu.url });
    for (let trial = 0; trial < TRIALS; trial++) {
      const store = join(dir, `trial-${trial}`, 'tokens.json');
      const common = ['--store', store, '--base-url', proxyUrl];
      const before = await counts();
      const runs = [
        runChild(['token', '-t', 'v2.1', '--kid', kid, '--private-key', keyFile, ...common], {
          env: { LINE_CHANNEL_ID: V21_CHANNEL, LINE_CHANNEL_SECRET: SECRET_A },
        }),
        runChild(['token', '-t', 'short-lived', ...common], {
          env: { LINE_CHANNEL_ID: SHORT_CHANNEL, LINE_CHANNEL_SECRET: SECRET_B },
        }),
      ].map((run) => run.finally(() => proxy.release()));
      const [v21, short] = await Promise.all(runs);
      assert.equal(v21!.code, 0, v21!.stderr);
      assert.equal(short!.code, 0, short!.stderr);

      const delta = (await counts()).map((n, i) => n - before[i]!);
      const reader = new FileTokenStore({ path: store });
      const storedV21 = await reader.get(`v2.1:${V21_CHANNEL}`);
      const storedShort = await reader.get(`short-lived:${SHORT_CHANNEL}`);
      if (storedV21?.accessToken !== v21!.stdout.trim())
        failures.push(`trial ${trial}: v2.1 entry lost`);
      if (storedShort?.accessToken !== short!.stdout.trim()) {
        failures.push(`trial ${trial}: short-lived entry lost`);
      }
      if (delta.join() !== '1,1,1,1') failures.push(`trial ${trial}: issues ${delta.join()}`);
      // Each trial starts a new store, to which the last trial's v2.1 token is unknown: left
      // live, the manager would rightly count it as an orphan and stop issuing at its budget.
      await direct.revokeV21({
        channelId: V21_CHANNEL,
        channelSecret: SECRET_A,
        accessToken: v21!.stdout.trim(),
      });
    }
    assert.deepEqual(failures, []);
    assert.equal(proxy.together, TRIALS, 'both issue requests were held together in every trial');
  });
});
