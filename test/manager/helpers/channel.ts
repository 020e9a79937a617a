// An emulator on the real clock (nothing here waits on time) with one channel per call and,
// for the assertion strategies, the fixture key registered the way the Console does it, so
// a TokenManager runs against it end to end without generating RSA keys per test.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ChannelAccessTokenClient } from '../../../src/client/client.js';
import type { TokenVerification } from '../../../src/client/types.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { TokenStrategy } from '../../../src/manager/types.js';

const pem = readFileSync(
  new URL('../../assertion/fixtures/test-rsa-2048-a.pem', import.meta.url),
  'utf8',
);
// The public half as the Console takes it: kty, n, e plus alg and use, no kid.
const publicJwk = { ...createPublicKey(pem).export({ format: 'jwk' }), alg: 'RS256', use: 'sig' };

export type StrategyName = 'v2.1' | 'stateless-secret' | 'stateless-assertion' | 'short-lived';

/** The emulator's operation name of each strategy's issue request. */
export const ISSUE_OP = {
  'v2.1': 'issueV21',
  'stateless-secret': 'issueStateless',
  'stateless-assertion': 'issueStateless',
  'short-lived': 'issueShortLived',
} as const satisfies Record<StrategyName, string>;

export interface Channel {
  id: string;
  secret: string;
  strategy: TokenStrategy;
  /** Whether LINE would accept `token` for this channel now (its own verify endpoint). */
  accepts(token: string): Promise<boolean>;
  /** Revokes `token` at LINE, as someone in the Console or another process might. */
  revoke(token: string): Promise<void>;
}

export interface Line {
  emu: Emulator;
  client: ChannelAccessTokenClient;
  channel(name: StrategyName): Promise<Channel>;
  /** Requests of operation `op` the emulator has received so far. */
  count(op: string): Promise<number>;
  close(): Promise<void>;
}

export async function startLine(): Promise<Line> {
  const emu = await startEmulator({ rateLimit: false });
  const client = new ChannelAccessTokenClient({ baseUrl: emu.url, retry: false });
  return {
    emu,
    client,
    async channel(name) {
      const { id, secret } = await emu.admin.createChannel();
      let strategy: TokenStrategy;
      if (name === 'v2.1' || name === 'stateless-assertion') {
        const { kid } = await emu.admin.registerKey(id, publicJwk);
        strategy =
          name === 'v2.1'
            ? {
                type: 'v2.1',
                channelId: id,
                kid,
                privateKey: pem,
                tokenExpSec: 3600,
                channelSecret: secret,
              }
            : { type: 'stateless', channelId: id, kid, privateKey: pem };
      } else if (name === 'stateless-secret') {
        strategy = { type: 'stateless', channelId: id, channelSecret: secret };
      } else {
        strategy = { type: 'short-lived', channelId: id, channelSecret: secret };
      }
      const v21 = name === 'v2.1';
      return {
        id,
        secret,
        strategy,
        async accepts(token) {
          let verified: TokenVerification;
          try {
            verified = v21
              ? await client.verifyV21({ accessToken: token })
              : await client.verify({ accessToken: token });
          } catch {
            return false;
          }
          return verified.clientId === id;
        },
        async revoke(token) {
          if (v21)
            await client.revokeV21({ channelId: id, channelSecret: secret, accessToken: token });
          else await client.revoke({ accessToken: token });
        },
      };
    },
    async count(op) {
      return (await emu.admin.stats()).requests[op] ?? 0;
    },
    close: () => emu.close(),
  };
}
