// Store-level checks shared by the Workers and Deno runs (stores.test.ts): each runtime
// builds its stores on its real backend (a Durable Object binding, a Deno KV file) and
// runs these. Returns the names of the checks that passed; throws at the first failure.
import {
  InvalidArgumentError,
  TokenStoreError,
  type StoredToken,
  type TokenStore,
} from '../../dist/index.js';

/** Builds a store on the runtime's backend; `encryptionKey` as the store's option. */
export type MakeStore = (options: { encryptionKey?: string }) => TokenStore;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`store check failed: ${message}`);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const keyA = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
const keyB = btoa(String.fromCharCode(...new Uint8Array(32).fill(9)));

const token = (n: number): StoredToken => ({
  accessToken: `token-${n}`,
  expiresAt: 2_000_000_000_000,
  issuedAt: 1_900_000_000_000,
  type: 'v2.1',
  keyId: `kid-${n}`,
});

async function rejectsWith(
  p: Promise<unknown>,
  type: new (...a: never[]) => Error,
  text: RegExp,
  what: string,
) {
  try {
    await p;
  } catch (err) {
    check(err instanceof type, `${what}: ${String(err)} is a ${type.name}`);
    check(
      text.test((err as Error).message),
      `${what}: "${(err as Error).message}" matches ${text}`,
    );
    check(!(err as Error).message.includes('token-'), `${what}: the message holds no token`);
    return;
  }
  throw new Error(`store check failed: ${what} did not reject`);
}

/** Runs every check on fresh keys. */
export async function runStoreChecks(make: MakeStore): Promise<string[]> {
  const passed: string[] = [];
  const run = `k${crypto.randomUUID()}`;
  const store = make({});

  await store.set(`${run}:v`, token(1), 60_000);
  const read = await store.get(`${run}:v`);
  check(read?.accessToken === 'token-1' && read.keyId === 'kid-1', 'set then get');
  await store.delete(`${run}:v`);
  check((await store.get(`${run}:v`)) === undefined, 'delete removes');
  await store.set(`${run}:ttl`, token(2), 50);
  await sleep(120);
  check((await store.get(`${run}:ttl`)) === undefined, 'a value is gone after its TTL');
  passed.push('get/set/delete/ttl');

  const locks = await Promise.all(
    Array.from({ length: 20 }, () => store.acquireLock!(`${run}:l`, 60_000)),
  );
  check(
    locks.filter((l) => l !== undefined).length === 1,
    'of 20 concurrent acquireLock, exactly one wins',
  );
  await locks.find((l) => l !== undefined)!.release();
  const again = await store.acquireLock!(`${run}:l`, 60_000);
  check(again !== undefined, 'a released lock can be taken');
  await again.release();
  passed.push('lock is exclusive');

  const stale = await store.acquireLock!(`${run}:s`, 50);
  check(stale !== undefined, 'short lock taken');
  await sleep(120);
  const taker = await store.acquireLock!(`${run}:s`, 60_000);
  check(taker !== undefined, 'an expired lock is free (a crashed holder blocks no one)');
  await stale.release();
  check(
    (await store.acquireLock!(`${run}:s`, 60_000)) === undefined,
    'a stale holder cannot free the new holder',
  );
  await taker.release();
  passed.push('expired lock taken over, stale release harmless');

  // A timeout beyond the test's hang guard: only the write can end this wait in time (the
  // Durable Object caps a wait at 30 s, so store-worker-entry.ts checks its wake directly).
  await store.get(`${run}:w`);
  const waiting = store.waitForChange!(`${run}:w`, 600_000);
  let woken = false;
  void waiting.then(() => (woken = true));
  await sleep(20);
  await store.set(`${run}:w`, token(3), 60_000);
  await waiting;
  check(woken, 'waitForChange resolved');
  passed.push('waitForChange wakes on a write');

  const sealed = make({ encryptionKey: keyA });
  await sealed.set(`${run}:e`, token(4), 60_000);
  check((await sealed.get(`${run}:e`))?.accessToken === 'token-4', 'sealed round trip');
  await rejectsWith(
    store.get(`${run}:e`),
    TokenStoreError,
    /encrypted/,
    'no key reads a sealed value',
  );
  await rejectsWith(
    make({ encryptionKey: keyB }).get(`${run}:e`),
    TokenStoreError,
    /decrypt/,
    'a wrong key',
  );
  await store.set(`${run}:p`, token(5), 60_000);
  await rejectsWith(
    sealed.get(`${run}:p`),
    TokenStoreError,
    /not encrypted/,
    'a keyed store refuses plaintext',
  );
  passed.push('encryption at rest');

  let bad: unknown;
  try {
    make({ encryptionKey: 'c2hvcnQ=' });
  } catch (err) {
    bad = err;
  }
  check(
    bad instanceof InvalidArgumentError && /32 bytes/.test(bad.message),
    'a short key is refused clearly',
  );
  passed.push('bad options refused');
  return passed;
}
