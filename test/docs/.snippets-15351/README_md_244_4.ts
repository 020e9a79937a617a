// deno run --unstable-kv --allow-net=api.line.me --allow-read=./kv --allow-write=./kv --allow-env bot.ts
import { TokenManager } from 'line-token';
import { DenoKvTokenStore, type DenoKvLike } from 'line-token/deno-kv';

// Deno's own globals, declared only so this snippet type-checks outside Deno:
declare const Deno: { openKv(path?: string): Promise<DenoKvLike>; env: { get(name: string): string | undefined } };

const manager = new TokenManager({
  strategy: {
    type: 'v2.1',
    channelId: Deno.env.get('LINE_CHANNEL_ID')!,
    kid: Deno.env.get('LINE_ASSERTION_KID')!,
    privateKey: Deno.env.get('LINE_ASSERTION_PRIVATE_KEY')!,
    channelSecret: Deno.env.get('LINE_CHANNEL_SECRET')!,
  },
  store: new DenoKvTokenStore({ kv: await Deno.openKv('./kv/tokens.sqlite3') }), // no path on Deno Deploy
});
const res = await fetch('https://api.line.me/v2/bot/info', {
  headers: { authorization: `Bearer ${await manager.getToken()}` },
});
console.log('bot info:', res.status);
export {};
