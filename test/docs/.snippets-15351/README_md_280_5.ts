// bun run bot.ts
import { TokenManager, authorizedFetch } from 'line-token';

const manager = new TokenManager({
  strategy: {
    type: 'stateless',
    channelId: process.env.LINE_CHANNEL_ID!,
    channelSecret: process.env.LINE_CHANNEL_SECRET!,
  },
});
const lineFetch = authorizedFetch(manager);

export default {
  port: 3000,
  async fetch(request: Request): Promise<Response> {
    // Answer the webhook; lineFetch adds the bearer token and retries once on a 401.
    const res = await lineFetch('https://api.line.me/v2/bot/info');
    return new Response(request.method === 'POST' ? 'ok' : String(res.status));
  },
};
export {};
