// One instance of a bot: its own TokenManager on the built package (dist/), driven by the
// parent test over IPC. Plain JavaScript because dozens of processes each compiling
// TypeScript at start would take far longer than the test on a 2-core machine. It never
// prints a token: it answers what happened, and holds its token until it is killed (an
// instance that is still running, or one that dies without close()).
import process from 'node:process';
import { TokenManager } from '../../../dist/index.js';
import { FileTokenStore } from '../../../dist/manager/stores/file-store.js';

let manager;

process.on('message', async (message) => {
  if (message.cmd !== 'token') return;
  const store =
    message.storePath === undefined ? undefined : new FileTokenStore({ path: message.storePath });
  manager = new TokenManager({
    strategy: message.strategy,
    clientOptions: { baseUrl: message.baseUrl },
    ...(store === undefined ? {} : { store }),
    ...(message.options ?? {}),
  });
  try {
    await manager.getToken();
    process.send({ type: 'answer', ok: true, status: manager.status() });
  } catch (err) {
    process.send({
      type: 'answer',
      ok: false,
      name: err?.name,
      code: err?.code,
      permanent: err?.permanent,
      message: String(err?.message),
    });
  }
});
process.send({ type: 'started' });
