// Real processes for the many-instances tests: each runs instance.mjs (its own
// TokenManager on the built package) and is told over IPC when to ask for a token, so a
// test starts them when it means to, not after a timing margin.
import { fork, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateKeyPair } from '../../../src/assertion/index.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { TokenStrategy } from '../../../src/manager/types.js';

const INSTANCE = fileURLToPath(new URL('./instance.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** What an instance answered to `token`. */
export interface Answer {
  readonly ok: boolean;
  readonly name?: string;
  readonly code?: string;
  readonly permanent?: boolean;
  readonly message?: string;
}

/** One running instance. */
export interface Instance {
  readonly child: ChildProcess;
  /** Asks for a token; resolves with the answer. */
  token(options?: { storePath?: string; options?: object }): Promise<Answer>;
  /** SIGKILL: the instance dies without close(), as an OOM kill or a crash would. */
  kill(): Promise<void>;
}

/** Refuses to test an old build: the instances run dist/. */
export async function assertFreshBuild(): Promise<void> {
  const sources = ['src/manager/internal/limit.ts', 'src/manager/internal/guarded-issue.ts'];
  for (const source of sources) {
    const built = `${ROOT}${source.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js')}`;
    const [s, b] = await Promise.all([stat(`${ROOT}${source}`), stat(built).catch(() => null)]);
    if (b === null || b.mtimeMs < s.mtimeMs) {
      throw new Error(`dist/ is older than ${source}: run "npm run build" first (npm test does)`);
    }
  }
}

/** A v2.1 channel on a fresh emulator (real clock), with its key registered. */
export async function v21Channel(): Promise<{
  emu: Emulator;
  channelId: string;
  strategy: TokenStrategy;
}> {
  const emu = await startEmulator({ rateLimit: false });
  const { id: channelId, secret } = await emu.admin.createChannel();
  const pair = await generateKeyPair();
  const { kid } = await emu.admin.registerKey(channelId, pair.publicJwk);
  return {
    emu,
    channelId,
    strategy: { type: 'v2.1', channelId, kid, privateKey: pair.privateJwk, channelSecret: secret },
  };
}

/** Starts an instance and waits until it listens. */
export async function startInstance(baseUrl: string, strategy: TokenStrategy): Promise<Instance> {
  const child = fork(INSTANCE, [], {
    // Not the parent's --import tsx: plain Node starts in a fraction of the time.
    execArgv: [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`instance ${child.pid} exited with ${code} before answering`));
      child.once('exit', onExit);
      child.once('message', (m: Record<string, unknown>) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  await next();
  return {
    child,
    async token(extra = {}) {
      const answer = next();
      child.send({ cmd: 'token', baseUrl, strategy, ...extra });
      return (await answer) as unknown as Answer;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
