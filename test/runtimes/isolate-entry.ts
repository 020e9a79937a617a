// One Worker of the isolates test (isolates.test.ts): a module-scope TokenManager on the
// default memory store, no Durable Object, as a Worker written without one keeps it. Every
// Worker runs this bundle in its own isolate, so each holds a token of its own. The
// manager follows the emulator's virtual clock through the `x-virtual-now` header.
import { TokenManager } from '../../dist/index.js';

interface Env {
  /** JSON: { baseUrl, channelId, channelSecret, kid, privateJwk, tokenExpSec }. */
  CONFIG: string;
}

let manager: TokenManager | undefined;
let virtualNow = 0;
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
    now: () => virtualNow,
    onWarning: (w) => warnings.push(w.code),
  });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    virtualNow = Math.max(virtualNow, Number(request.headers.get('x-virtual-now')));
    manager ??= managerFor(env);
    try {
      const token = await manager.getToken();
      const { foreignTokens, unaccountedTokens } = manager.status();
      return Response.json({ token, warnings, foreignTokens, unaccountedTokens });
    } catch (err) {
      return Response.json({ error: String(err), warnings }, { status: 500 });
    }
  },
};
