// A bot's world for the Messaging API recipes: one emulator serving both the token API and
// the Messaging API stand-in, a channel with the fixture key registered as the Console
// does, and a TokenManager on it. Revocation happens out of band, over raw HTTP, as when
// someone revokes the token in the Console or another process does.
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TokenManager } from '../../src/manager/manager.js';
import type { TokenStrategy } from '../../src/manager/types.js';
import { postForm } from './helpers.js';

const pem = readFileSync(
  new URL('../assertion/fixtures/test-rsa-2048-a.pem', import.meta.url),
  'utf8',
);
const publicJwk = { ...createPublicKey(pem).export({ format: 'jwk' }), alg: 'RS256', use: 'sig' };

/** The managed token families a bot can push with (stateless tokens cannot be revoked). */
export type RevocableStrategy = 'v2.1' | 'short-lived';

export interface Bot {
  emu: Emulator;
  channelId: string;
  manager: TokenManager;
  /** Revokes `token` at the emulator, not through the manager. */
  revokeOutOfBand(token: string): Promise<void>;
  /** Asserts the emulator recorded exactly these pushes of one text each to `to`, in order. */
  assertPushedTexts(to: string, texts: string[]): Promise<void>;
  close(): Promise<void>;
}

export async function startBot(type: RevocableStrategy): Promise<Bot> {
  const emu = await startEmulator({ rateLimit: false });
  const { id, secret } = await emu.admin.createChannel();
  let strategy: TokenStrategy;
  if (type === 'v2.1') {
    const { kid } = await emu.admin.registerKey(id, publicJwk);
    strategy = {
      type: 'v2.1',
      channelId: id,
      kid,
      privateKey: pem,
      tokenExpSec: 3600,
      channelSecret: secret,
    };
  } else {
    strategy = { type: 'short-lived', channelId: id, channelSecret: secret };
  }
  const manager = new TokenManager({ strategy, clientOptions: { baseUrl: emu.url } });
  return {
    emu,
    channelId: id,
    manager,
    async assertPushedTexts(to, texts) {
      const messages = await emu.admin.listMessages(id);
      assert.deepEqual(
        messages.map((m) => [m.endpoint, m.to, m.tokenFamily, m.messages]),
        texts.map((text) => ['push', to, type, [{ type: 'text', text }]]),
      );
    },
    async revokeOutOfBand(token) {
      const r =
        type === 'v2.1'
          ? await postForm(emu.url, '/oauth2/v2.1/revoke', {
              client_id: id,
              client_secret: secret,
              access_token: token,
            })
          : await postForm(emu.url, '/v2/oauth/revoke', { access_token: token });
      if (r.status !== 200) throw new Error(`revoke answered ${r.status}`);
    },
    async close() {
      await manager.close();
      await emu.close();
    },
  };
}
