// One emulator per test on the test's fake clock, a channel, and (for the assertion
// strategies) a registered key pair, so a TokenManager can run against it end to end.
import { generateKeyPair } from '../../../src/assertion/index.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { TokenStrategy } from '../../../src/manager/types.js';
import type { FakeClock } from './fake-clock.js';

export type StrategyName = 'v2.1' | 'stateless-secret' | 'stateless-assertion' | 'short-lived';

export interface Setup {
  emu: Emulator;
  channelId: string;
  secret: string;
  kid: string | undefined;
  strategy: TokenStrategy;
  /** The token lifetime LINE gives this strategy, ms. */
  lifetimeMs: number;
  /** The emulator's operation name for this strategy's issue. */
  issueOp: 'issueV21' | 'issueStateless' | 'issueShortLived';
}

let keyPair: Promise<Awaited<ReturnType<typeof generateKeyPair>>> | undefined;
// One RSA key pair for the whole file: generating one costs more than a test.
const sharedKeyPair = () => (keyPair ??= generateKeyPair());

export const V21_TOKEN_EXP_SEC = 3600;

export async function setup(clock: FakeClock, name: StrategyName): Promise<Setup> {
  const emu = await startEmulator({ now: clock.now, rateLimit: false });
  const { id: channelId, secret } = await emu.admin.createChannel();
  let kid: string | undefined;
  let privateJwk: object | undefined;
  if (name === 'v2.1' || name === 'stateless-assertion') {
    const pair = await sharedKeyPair();
    kid = (await emu.admin.registerKey(channelId, pair.publicJwk)).kid;
    privateJwk = pair.privateJwk;
  }
  switch (name) {
    case 'v2.1':
      return {
        emu,
        channelId,
        secret,
        kid,
        strategy: {
          type: 'v2.1',
          channelId,
          kid: kid!,
          privateKey: privateJwk!,
          tokenExpSec: V21_TOKEN_EXP_SEC,
          channelSecret: secret,
        },
        lifetimeMs: V21_TOKEN_EXP_SEC * 1000,
        issueOp: 'issueV21',
      };
    case 'stateless-secret':
      return {
        emu,
        channelId,
        secret,
        kid,
        strategy: { type: 'stateless', channelId, channelSecret: secret },
        lifetimeMs: 900_000,
        issueOp: 'issueStateless',
      };
    case 'stateless-assertion':
      return {
        emu,
        channelId,
        secret,
        kid,
        strategy: { type: 'stateless', channelId, kid: kid!, privateKey: privateJwk! },
        lifetimeMs: 900_000,
        issueOp: 'issueStateless',
      };
    case 'short-lived':
      return {
        emu,
        channelId,
        secret,
        kid,
        strategy: { type: 'short-lived', channelId, channelSecret: secret },
        lifetimeMs: 30 * 86_400_000,
        issueOp: 'issueShortLived',
      };
  }
}

/** The seeded PRNG the emulator's faults use, so jitter and test steps replay exactly. */
export { seededRandom as seeded } from '../../../src/internal/seeded-random.js';
