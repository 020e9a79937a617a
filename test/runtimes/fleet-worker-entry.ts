// One Worker of the Durable Object fleet test (cloudflare-fleet.test.ts). Every Worker
// runs this same bundle; the first also hosts the Durable Object class the others bind to
// by script name. A manager per isolate, built on the first request, follows the
// emulator's virtual clock through the `x-virtual-now` header the harness sends.
import { TokenManager } from '../../dist/index.js';
import {
  DurableObjectTokenStore,
  LineTokenDurableObject,
  type DurableObjectNamespaceLike,
} from '../../dist/cloudflare/index.js';

export { LineTokenDurableObject };

interface Env {
  TOKENS: DurableObjectNamespaceLike;
  /** JSON: { baseUrl, channelId, channelSecret, kid, privateJwk, tokenExpSec, encryptionKey }. */
  CONFIG: string;
}

let manager: TokenManager | undefined;
let virtualNow = 0;
// The manager's warnings (a degraded store would let this isolate issue its own token),
// handed to the next response.
const warnings: string[] = [];

function managerFor(env: Env): TokenManager {
  const c = JSON.parse(env.CONFIG) as Record<string, string | number | object>;
  return new TokenManager({
    strategy: {
      type: 'v2.1',
      channelId: c['channelId'] as string,
      kid: c['kid'] as string,
      privateKey: c['privateJwk'] as object,
      tokenExpSec: c['tokenExpSec'] as number,
      channelSecret: c['channelSecret'] as string,
    },
    clientOptions: { baseUrl: c['baseUrl'] as string },
    store: new DurableObjectTokenStore({
      namespace: env.TOKENS,
      encryptionKey: c['encryptionKey'] as string,
    }),
    now: () => virtualNow,
    onWarning: (w) =>
      warnings.push(`${w.code}: ${String((w.cause as Error | undefined)?.message)}`),
  });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if ('process' in globalThis) return new Response('globalThis.process exists', { status: 500 });
    virtualNow = Math.max(virtualNow, Number(request.headers.get('x-virtual-now')));
    manager ??= managerFor(env);
    try {
      const token = await manager.getToken();
      return Response.json({ token, warnings: warnings.splice(0) });
    } catch (err) {
      // The failure and its causes, for the test's message (they never hold a token).
      const chain: string[] = [];
      for (let e: unknown = err; e !== undefined && chain.length < 4; e = (e as Error).cause) {
        chain.push(String((e as Error)?.stack ?? e));
      }
      return Response.json({ error: chain.join(' <- ') }, { status: 500 });
    }
  },
};
