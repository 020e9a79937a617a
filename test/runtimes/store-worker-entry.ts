// Runs store-checks.ts inside workerd against a real Durable Object binding.
import {
  DurableObjectTokenStore,
  LineTokenDurableObject,
  type DurableObjectNamespaceLike,
} from '../../dist/cloudflare/index.js';
import { runStoreChecks } from './store-checks.js';

export { LineTokenDurableObject };

/**
 * The object's own answer says whether a wait ended by a change (`ok: true`) or by its
 * timeout (`ok: false`), so this check cannot pass by waiting long enough.
 */
async function waitIsWokenByAWrite(ns: DurableObjectNamespaceLike): Promise<string> {
  const name = `line-token:${crypto.randomUUID()}`;
  const call = async (body: object): Promise<{ ok?: boolean; version: string }> => {
    const res = await ns
      .get(ns.idFromName(name) as never)
      .fetch('https://line-token.durable-object/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: name, ...body }),
      });
    return JSON.parse(await res.text()) as { ok?: boolean; version: string };
  };
  const { version } = await call({ op: 'get' });
  const waiting = call({ op: 'wait', since: version, timeoutMs: 30_000 });
  await call({ op: 'set', value: '{}', ttlMs: 60_000 });
  const answer = await waiting;
  if (answer.ok !== true)
    throw new Error('store check failed: the wait ended by its timeout, not the write');
  if (answer.version === version) throw new Error('store check failed: the version did not change');
  const idle = await call({ op: 'wait', since: answer.version, timeoutMs: 10 });
  if (idle.ok !== false)
    throw new Error('store check failed: a wait with no write reported a change');
  return 'Durable Object wait woken by a write, not its timeout';
}

export default {
  async fetch(_request: Request, env: { TOKENS: DurableObjectNamespaceLike }): Promise<Response> {
    try {
      const passed = await runStoreChecks(
        (o) => new DurableObjectTokenStore({ namespace: env.TOKENS, ...o }),
      );
      passed.push(await waitIsWokenByAWrite(env.TOKENS));
      return Response.json({ ok: true, passed });
    } catch (err) {
      return Response.json({ ok: false, error: String((err as Error)?.stack ?? err) });
    }
  },
};
