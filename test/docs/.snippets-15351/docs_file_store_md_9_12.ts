import { TokenManager } from 'line-token';
import { FileTokenStore } from 'line-token/file-store';

const manager = new TokenManager({
  strategy,
  store: new FileTokenStore({ path: '/var/lib/bot/tokens.json' }),
});
export {};
