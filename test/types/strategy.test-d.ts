// The TokenStrategy union as users write it: each family takes its own credentials, and a
// strategy missing what its family needs, or mixing families, does not compile.
import { TokenManager, type TokenStrategy } from 'line-token';
import { assertType, type Equal } from './expect.js';

const privateKey = '{"kty":"RSA"}';

const strategies: TokenStrategy[] = [
  { type: 'v2.1', channelId: '1234567890', kid: 'kid', privateKey },
  { type: 'v2.1', channelId: '1234567890', kid: 'kid', privateKey, tokenExpSec: 86_400 },
  { type: 'stateless', channelId: '1234567890', channelSecret: 'secret' },
  { type: 'stateless', channelId: '1234567890', kid: 'kid', privateKey },
  { type: 'short-lived', channelId: '1234567890', channelSecret: 'secret' },
  { type: 'static', accessToken: 'token' },
];
void strategies;

// @ts-expect-error: v2.1 signs an assertion, so it needs the key and its id
const noKey: TokenStrategy = { type: 'v2.1', channelId: '1234567890', channelSecret: 'secret' };
// @ts-expect-error: short-lived tokens are issued with the channel secret
const noSecret: TokenStrategy = { type: 'short-lived', channelId: '1234567890' };
// @ts-expect-error: there is no such family
const unknownFamily: TokenStrategy = { type: 'long-lived', accessToken: 'token' };
const textLifetime: TokenStrategy = {
  type: 'v2.1',
  channelId: '1',
  kid: 'k',
  privateKey,
  // @ts-expect-error: a lifetime is a number of seconds
  tokenExpSec: '1d',
};
void [noKey, noSecret, unknownFamily, textLifetime];

// The families the union names.
assertType<Equal<TokenStrategy['type'], 'v2.1' | 'stateless' | 'short-lived' | 'static'>>();

// A manager takes any of them; `getToken()` always resolves to the token text.
assertType<Equal<Awaited<ReturnType<TokenManager['getToken']>>, string>>();
