/**
 * Optional persistence of the emulator's world to one JSON file, so a long-running local
 * emulator survives restarts. Writes go to a temporary file that is renamed over the real
 * one (atomic on POSIX), mode 0600 since the file holds channel secrets and tokens.
 *
 * @module
 */
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import type { RegisteredJwk } from '../keys.js';
import type { EmulatorState, TokenRecord } from '../state.js';

const FORMAT_VERSION = 1;

interface Snapshot {
  version: number;
  clockOffsetMs: number;
  hmacSecret: string;
  channels: Array<{ id: string; secret: string }>;
  keys: Array<{ kid: string; channelId: string; jwk: RegisteredJwk }>;
  tokens: TokenRecord[];
}

function snapshot(state: EmulatorState): Snapshot {
  const tokens: TokenRecord[] = [];
  for (const record of state.tokens.values()) tokens.push(record);
  return {
    version: FORMAT_VERSION,
    clockOffsetMs: state.clockOffsetMs,
    hmacSecret: Buffer.from(state.hmacSecret).toString('base64'),
    channels: [...state.channels.values()].map((c) => ({ id: c.id, secret: c.secret })),
    keys: [...state.keys.values()].map((k) => ({ kid: k.kid, channelId: k.channelId, jwk: k.jwk })),
    tokens,
  };
}

/**
 * Loads the state file into `state` (which must be empty of tokens). Answers `'missing'`
 * when there is no file yet, `'loaded'` on success; throws on a file that is not ours.
 */
export async function loadState(file: string, state: EmulatorState): Promise<'missing' | 'loaded'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw err;
  }
  let data: Partial<Snapshot>;
  try {
    data = JSON.parse(text) as Partial<Snapshot>;
  } catch {
    // Not the parser's message: it quotes the file, which holds secrets.
    throw new TypeError('the file is not valid JSON');
  }
  if (data.version !== FORMAT_VERSION || !Array.isArray(data.channels)) {
    throw new TypeError(`not an emulator state file (format version ${FORMAT_VERSION})`);
  }
  state.clockOffsetMs = typeof data.clockOffsetMs === 'number' ? data.clockOffsetMs : 0;
  if (typeof data.hmacSecret === 'string') {
    state.hmacSecret = new Uint8Array(Buffer.from(data.hmacSecret, 'base64'));
  }
  for (const c of data.channels) {
    if (!state.channels.has(c.id)) state.createChannel(c);
  }
  for (const k of data.keys ?? []) state.restoreKey(k.kid, k.channelId, k.jwk);
  for (const t of data.tokens ?? []) state.restoreToken(t);
  return 'loaded';
}

/** Writes the state file after changes, one write at a time, coalescing bursts. */
export class StateSaver {
  #writing: Promise<void> | undefined;
  #dirty = false;
  #failures = 0;

  readonly #file: string;
  readonly #state: EmulatorState;
  readonly #onError: (err: unknown) => void;

  constructor(file: string, state: EmulatorState, onError: (err: unknown) => void) {
    this.#file = file;
    this.#state = state;
    this.#onError = onError;
  }

  /** Marks the state changed; a write follows soon. */
  schedule(): void {
    this.#dirty = true;
    if (!this.#writing) this.#writing = this.#loop();
  }

  /** Waits until everything changed so far is on disk. */
  async flush(): Promise<void> {
    if (this.#dirty && !this.#writing) this.#writing = this.#loop();
    while (this.#writing) await this.#writing;
  }

  async #loop(): Promise<void> {
    // Let the current burst of changes land before writing once for all of them.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.#dirty) {
        this.#dirty = false;
        await this.#write();
      }
    } finally {
      this.#writing = undefined;
    }
  }

  async #write(): Promise<void> {
    const tmp = `${this.#file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(snapshot(this.#state)), { mode: 0o600 });
      await rename(tmp, this.#file);
      this.#failures = 0;
    } catch (err) {
      await unlink(tmp).catch(() => {});
      // Report once per run of failures, not once per request.
      if (this.#failures++ === 0) this.#onError(err);
    }
  }
}
