// Run from cron (e.g. every hour): makes sure a valid token is in the file store, issuing
// only when the stored one is missing or due, then exits. Other programs on this host read
// the token from the same store (or run `line-token token --store`).
//
//   LINE_CHANNEL_ID=... LINE_ASSERTION_KID=... LINE_ASSERTION_PRIVATE_KEY=key.json \
//   TOKEN_STORE=/var/lib/my-bot/tokens.json node refresh.mjs
import { TokenManager } from 'line-token';
import { apiBaseUrlFromEnv, strategyFromEnv } from 'line-token/env';
import { FileTokenStore } from 'line-token/file-store';

const tokens = new TokenManager({
  // The LINE_* variables, read as the CLI reads them (the key as a path, JWK or PEM text).
  strategy: await strategyFromEnv({ type: 'v2.1' }),
  store: new FileTokenStore({ path: process.env.TOKEN_STORE ?? 'tokens.json' }),
  clientOptions: { baseUrl: apiBaseUrlFromEnv() ?? 'https://api.line.me' },
});

try {
  await tokens.getToken();
  const { expiresAt } = tokens.status();
  console.log(`a valid token is stored until ${new Date(expiresAt).toISOString()}`);
} finally {
  await tokens.close();
}
