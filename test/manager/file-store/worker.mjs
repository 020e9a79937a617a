// A process sharing one token file with its siblings, driven by the parent test over IPC.
// It does nothing until told, so all workers act at the same instant (an event, not a
// timing margin), and answers with what it saw. Plain JavaScript on the built store
// (dist/), because 24 processes each compiling TypeScript at start take far longer than
// the test itself on a 2-core machine; pool.ts refuses to start on a stale build.
import { appendFile } from 'node:fs/promises';
import process from 'node:process';
import { setImmediate as tick, setTimeout as sleep } from 'node:timers/promises';
import { FileTokenStore } from '../../../dist/manager/stores/file-store.js';

const warnings = [];
let store;
let id = 0;

/** The token worker `w` writes in round `r`, write `i`: every field derivable from its access token. */
function tokenOf(w, r, i) {
  return {
    // Long, so a torn read of a file that was not replaced atomically would show.
    accessToken: `w${w}-r${r}-i${i}-${'x'.repeat(4096)}`,
    issuedAt: 1_000_000 + w,
    expiresAt: 2_000_000 + r,
    keyId: `kid-${w}-${r}-${i}`,
    type: 'short-lived',
  };
}

/** Whether `token` is exactly one that some worker wrote, every field of it. */
function complete(token) {
  const m = /^w(\d+)-r(\d+)-i(\d+)-x{4096}$/.exec(token.accessToken);
  if (m === null) return false;
  const expected = tokenOf(Number(m[1]), Number(m[2]), Number(m[3]));
  return JSON.stringify(token) === JSON.stringify(expected);
}

async function sameKey(round, writes) {
  let reads = 0;
  let torn = 0;
  const look = async () => {
    const seen = await store.get('shared');
    reads++;
    if (seen !== undefined && !complete(seen)) torn++;
  };
  for (let i = 0; i < writes; i++) {
    await look();
    await store.set('shared', tokenOf(id, round, i), 600_000);
    await look();
  }
  return { reads, torn };
}

async function holdLock(round, log) {
  let tries = 0;
  for (;;) {
    tries++;
    const lock = await store.acquireLock('contended', 600_000);
    if (lock !== undefined) {
      await appendFile(log, `${process.pid} enter ${round}\n`);
      // Hold across a turn of the event loop and more I/O, so an overlap would show.
      await tick();
      await appendFile(log, `${process.pid} exit ${round}\n`);
      await lock.release();
      return tries;
    }
    await sleep(2 + Math.random() * 8);
  }
}

const commands = {
  async init(message) {
    id = message.id;
    store = new FileTokenStore({ path: message.path, onWarning: (m) => warnings.push(m) });
    return {};
  },
  async 'write-own'(message) {
    await store.set(`w${id}-r${message.round}`, tokenOf(id, message.round, 0), 600_000);
    return {};
  },
  'same-key': (message) => sameKey(message.round, message.writes),
  lock: async (message) => ({ tries: await holdLock(message.round, message.log) }),
};

process.on('message', (message) => {
  if (message.cmd === 'exit') return process.disconnect();
  commands[message.cmd](message).then(
    (result) => process.send({ type: 'done', id, warnings: warnings.splice(0), ...result }),
    (err) => process.send({ type: 'failed', id, error: String(err?.stack ?? err) }),
  );
});
process.send({ type: 'started' });
