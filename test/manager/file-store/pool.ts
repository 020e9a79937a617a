// Child processes running worker.mjs, started once and driven round by round: a round is
// sent to the first `count` workers at once and ends when each of them has answered.
import { fork, type ChildProcess } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToParent, ToWorker } from './protocol.js';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A hang guard only: a round normally takes milliseconds. */
const ROUND_GUARD_MS = 120_000;

export type Done = Extract<ToParent, { type: 'done' }>;

/** Refuses to test an old build: every source of the store must be older than its build. */
async function assertFreshBuild(): Promise<void> {
  const sources = ['src/errors.ts', 'src/manager/store.ts'];
  for (const dir of ['src/manager/stores', 'src/manager/stores/internal']) {
    for (const name of await readdir(join(ROOT, dir))) {
      if (name.endsWith('.ts')) sources.push(`${dir}/${name}`);
    }
  }
  for (const source of sources) {
    const built = join(ROOT, source.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'));
    const [s, b] = await Promise.all([stat(join(ROOT, source)), stat(built).catch(() => null)]);
    if (b === null || b.mtimeMs < s.mtimeMs) {
      throw new Error(`dist/ is older than ${source}: run "npm run build" first (npm test does)`);
    }
  }
}

export class WorkerPool {
  readonly #children: ChildProcess[];
  #pending: ((message: ToParent) => void) | undefined;
  #failure: Error | undefined;

  private constructor(children: ChildProcess[]) {
    this.#children = children;
    for (const child of children) {
      child.on('message', (message: ToParent) => this.#pending?.(message));
      child.on('exit', (code) => {
        if (code !== 0) this.#fail(new Error(`worker ${child.pid} exited with ${code}`));
      });
    }
  }

  /** Starts `count` workers and waits until each is listening. */
  static async start(count: number): Promise<WorkerPool> {
    await assertFreshBuild();
    const children = Array.from({ length: count }, () =>
      fork(WORKER, [], {
        // Not the parent's --import tsx: plain Node starts in a fraction of the time.
        execArgv: [],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const pool = new WorkerPool(children);
    await pool.#exchange(count, undefined, 'started');
    return pool;
  }

  /** Points the first `count` workers at the store file `path`. */
  async use(count: number, path: string): Promise<void> {
    await this.#exchange(count, (id) => ({ cmd: 'init', id, path }), 'done');
  }

  /** Sends the first `count` workers their command at once; answers each one's report. */
  round(count: number, command: (id: number) => ToWorker): Promise<Done[]> {
    return this.#exchange(count, command, 'done') as Promise<Done[]>;
  }

  /** Tells every worker to exit and waits until they have. */
  async close(): Promise<void> {
    await Promise.all(
      this.#children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || !child.connected) return resolve();
            child.once('exit', () => resolve());
            child.send({ cmd: 'exit' } satisfies ToWorker);
          }),
      ),
    );
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#pending?.({ type: 'failed', id: -1, error: error.message });
  }

  #exchange(
    count: number,
    command: ((id: number) => ToWorker) | undefined,
    type: 'started' | 'done',
  ): Promise<ToParent[]> {
    return new Promise((resolve, reject) => {
      if (this.#failure) return reject(this.#failure);
      const answers: ToParent[] = [];
      const guard = setTimeout(
        () => finish(new Error(`no "${type}" from every worker within the hang guard`)),
        ROUND_GUARD_MS,
      );
      const finish = (error?: Error): void => {
        clearTimeout(guard);
        this.#pending = undefined;
        if (error) reject(error);
        else resolve(answers);
      };
      this.#pending = (message) => {
        if (message.type === 'failed') {
          return finish(new Error(`worker ${message.id}: ${message.error}`));
        }
        if (message.type !== type) return;
        answers.push(message);
        if (answers.length === count) finish();
      };
      if (command) this.#children.slice(0, count).forEach((child, id) => child.send(command(id)));
    });
  }
}
