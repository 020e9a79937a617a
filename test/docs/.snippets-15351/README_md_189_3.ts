// src/worker.ts
import { TokenManager } from 'line-token';
import { DurableObjectTokenStore, type DurableObjectNamespaceLike } from 'line-token/cloudflare';
export { LineTokenDurableObject } from 'line-token/cloudflare';

interface Env {
  LINE_TOKENS: DurableObjectNamespaceLike; // or DurableObjectNamespace from @cloudflare/workers-types
  LINE_CHANNEL_ID: string;
  LINE_ASSERTION_KID: string;
  LINE_ASSERTION_PRIVATE_KEY: string; // wrangler secret put ...
  LINE_CHANNEL_SECRET: string;
  TOKEN_STORE_KEY: string; // openssl rand -base64 32
}

let manager: TokenManager | undefined; // one per isolate, shared by its requests

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    manager ??= new TokenManager({
      strategy: {
        type: 'v2.1',
        channelId: env.LINE_CHANNEL_ID,
        kid: env.LINE_ASSERTION_KID,
        privateKey: env.LINE_ASSERTION_PRIVATE_KEY,
        tokenExpSec: 86_400,
        channelSecret: env.LINE_CHANNEL_SECRET,
      },
      store: new DurableObjectTokenStore({ namespace: env.LINE_TOKENS, encryptionKey: env.TOKEN_STORE_KEY }),
    });
    if (request.method !== 'POST') return new Response('LINE webhook', { status: 405 });
    const token = await manager.getToken(); // cached per isolate; shared by the whole fleet
    const res = await fetch('https://api.line.me/v2/bot/info', { headers: { authorization: `Bearer ${token}` } });
    return new Response(res.ok ? 'ok' : 'LINE refused', { status: res.ok ? 200 : 502 });
  },
};
export {};
