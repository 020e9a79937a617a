// A Cloudflare Worker that calls the Messaging API with a channel access token kept fresh by
// a TokenManager whose store is a Durable Object: every isolate of every Worker bound to the
// same namespace shares one v2.1 token, and one issue per rotation serves them all.
//
// wrangler.toml (beside this file) binds the Durable Object. The credentials are secrets
// (`wrangler secret put NAME`): LINE_CHANNEL_ID, LINE_CHANNEL_SECRET (so superseded tokens
// can be revoked), LINE_ASSERTION_KID, LINE_ASSERTION_PRIVATE_KEY (the private JWK's JSON
// text) and TOKEN_STORE_KEY (32 random bytes, base64: the token is encrypted at rest).
// LINE_API_BASE_URL points it at `line-token emulator` instead of LINE.
import { TokenManager, authorizedFetch } from 'line-token';
import { DurableObjectTokenStore, LineTokenDurableObject } from 'line-token/cloudflare';

// The Durable Object class the binding names: it holds the token and the refresh lock.
export { LineTokenDurableObject };

// One manager per isolate, made on its first request (the env is only known then) and
// reused by every request the isolate serves after.
let lineFetch;
let baseUrl;

function setUp(env) {
  baseUrl = env.LINE_API_BASE_URL ?? 'https://api.line.me';
  const tokens = new TokenManager({
    strategy: {
      type: 'v2.1',
      channelId: env.LINE_CHANNEL_ID,
      kid: env.LINE_ASSERTION_KID,
      privateKey: env.LINE_ASSERTION_PRIVATE_KEY,
      channelSecret: env.LINE_CHANNEL_SECRET,
    },
    store: new DurableObjectTokenStore({
      namespace: env.LINE_TOKENS,
      encryptionKey: env.TOKEN_STORE_KEY,
    }),
    clientOptions: { baseUrl },
  });
  // fetch with the current token; a 401 (a token revoked elsewhere) refreshes it once.
  lineFetch = authorizedFetch(tokens);
}

export default {
  async fetch(request, env) {
    if (lineFetch === undefined) setUp(env);
    const res = await lineFetch(`${baseUrl}/v2/bot/info`);
    if (!res.ok) return new Response(`LINE answered ${res.status}`, { status: 502 });
    const { displayName, basicId } = await res.json();
    return Response.json({ displayName, basicId });
  },
};
