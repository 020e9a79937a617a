// Run from cron (e.g. every hour): makes sure a valid token is in the file store, issuing
// only when the stored one is missing or due, then exits. Other programs on this host read
// the token from the same store (or run `line-token token --store`).
//
//   LINE_CHANNEL_ID=... LINE_ASSERTION_KID=... LINE_ASSERTION_PRIVATE_KEY=key.json \
//   TOKEN_STORE=/var/lib/my-bot/tokens.json node refresh.mjs
import { readFileSync } from 'node:fs';
import { TokenManager } from 'line-token';
import { FileTokenStore } from 'line-token/file-store';

const env = process.env;
const tokens = new TokenManager({
  strategy: {
    type: 'v2.1',
    channelId: env.LINE_CHANNEL_ID,
    kid: env.LINE_ASSERTION_KID,
    privateKey: readFileSync(env.LINE_ASSERTION_PRIVATE_KEY, 'utf8'),
  },
  store: new FileTokenStore({ path: env.TOKEN_STORE ?? 'tokens.json' }),
  clientOptions: { baseUrl: env.LINE_API_BASE_URL ?? 'https://api.line.me' },
});

try {
  await tokens.getToken();
  const { expiresAt } = tokens.status();
  console.log(`a valid token is stored until ${new Date(expiresAt).toISOString()}`);
} finally {
  await tokens.close();
}
