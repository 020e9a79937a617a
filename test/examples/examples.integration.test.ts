// Runs each program under examples/ as a user would (a child process, configured by the
// environment) against the emulator, and checks what it did on the emulator's side.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateKeyPair } from '../../src/assertion/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { requireRedisServer, startRedisServer } from '../redis/redis-server.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

const run = promisify(execFile);
const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

let emu: Emulator;
const work = tempDirFor(suiteScope(), 'line-token-examples-');

before(async () => {
  emu = await startEmulator({ rateLimit: false });
});
after(async () => {
  await emu?.close();
});

/** A channel with a registered key, and the environment an example reads it from. */
async function channelEnv(name: string): Promise<{ id: string; env: Record<string, string> }> {
  const { id, secret } = await emu.admin.createChannel({});
  const { privateJwk, publicJwk } = await generateKeyPair();
  const { kid } = await emu.admin.registerKey(id, publicJwk);
  const keyFile = join(work, `${name}-key.json`);
  await writeFile(keyFile, JSON.stringify(privateJwk), { mode: 0o600 });
  return {
    id,
    env: {
      PATH: process.env.PATH ?? '',
      LINE_API_BASE_URL: emu.url,
      LINE_CHANNEL_ID: id,
      LINE_CHANNEL_SECRET: secret,
      LINE_ASSERTION_KID: kid,
      LINE_ASSERTION_PRIVATE_KEY: keyFile,
    },
  };
}

async function liveV21(channelId: string): Promise<number> {
  const tokens = await emu.admin.listTokens(channelId);
  return tokens.filter((t) => t.family === 'v2.1').length;
}

test('cron-refresh: two runs on one file store issue one token', async () => {
  const { id, env } = await channelEnv('cron');
  const store = join(work, 'cron-tokens.json');
  for (let i = 0; i < 2; i++) {
    const { stdout } = await run(process.execPath, [join(examples, 'cron-refresh/refresh.mjs')], {
      env: { ...env, TOKEN_STORE: store },
    });
    assert.match(stdout, /^a valid token is stored until \d{4}-\d\d-\d\dT/);
  }
  assert.equal(await liveV21(id), 1, 'the second run found the stored token and issued nothing');
});

test('redis-fleet: replicas started together share one token', async (t) => {
  const binary = requireRedisServer('redis-fleet example');
  if (binary === undefined) return;
  const redis = await startRedisServer(binary);
  t.after(() => redis.close());
  const { id, env } = await channelEnv('fleet');
  const replica = join(examples, 'redis-fleet/replica.mjs');
  const outputs = await Promise.all(
    [1, 2, 3].map(() =>
      run(process.execPath, [replica], { env: { ...env, REDIS_URL: redis.url } }),
    ),
  );
  const fingerprints = outputs.map(({ stdout }) => JSON.parse(stdout).fingerprint as string);
  assert.equal(new Set(fingerprints).size, 1, 'every replica got the same token');
  assert.equal(await liveV21(id), 1, 'one token issued for the fleet');
});

test('webhook-bot: answers a signed webhook by replying, and pushes when the reply token is spent', async (t) => {
  const { id, env } = await channelEnv('webhook');
  const bot = spawn(process.execPath, [join(examples, 'webhook-bot/bot.mjs')], {
    env: { ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(bot, 'exit') as Promise<[number | null, string | null]>;
  t.after(() => bot.kill('SIGTERM'));
  const [line] = (await once(createInterface({ input: bot.stdout }), 'line')) as [string];
  const { listening } = JSON.parse(line) as { listening: number };
  const webhook = `http://127.0.0.1:${listening}/webhook`;

  // A webhook signed with another secret is refused (posted by hand: the emulator signs right).
  const forgedBody = JSON.stringify({ destination: 'U0', events: [] });
  const forged = await fetch(webhook, {
    method: 'POST',
    headers: {
      'x-line-signature': createHmac('sha256', 'not-the-secret')
        .update(forgedBody)
        .digest('base64'),
      'content-type': 'application/json',
    },
    body: forgedBody,
  });
  assert.equal(forged.status, 401, 'a webhook signed with another secret is refused');

  // A user writes: the emulator signs the event with the channel secret and POSTs it.
  await emu.admin.setWebhook(id, webhook);
  const delivery = await emu.admin.sendMessage(id, { text: 'hello' });
  assert.equal(delivery.status, 'delivered');
  const userId = (delivery.event['source'] as { userId: string }).userId;
  // Redelivered, its reply token is spent: the bot falls back to a push to the same user.
  const again = await emu.admin.redeliver(id, delivery.id);
  assert.equal(again.status, 'delivered');
  const messages = await emu.admin.listMessages(id);
  assert.deepEqual(
    messages.map(({ endpoint, replyToken, to, tokenFamily, messages }) => ({
      endpoint,
      replyToken,
      to,
      tokenFamily,
      messages,
    })),
    [
      {
        endpoint: 'reply',
        replyToken: delivery.event['replyToken'],
        to: undefined,
        tokenFamily: 'v2.1',
        messages: [{ type: 'text', text: 'hello' }],
      },
      {
        endpoint: 'push',
        replyToken: undefined,
        to: userId,
        tokenFamily: 'v2.1',
        messages: [{ type: 'text', text: 'hello' }],
      },
    ],
    'the bot echoed the text with a managed v2.1 token: a reply, then a push for the redelivery',
  );

  // Ctrl-C: the bot closes its manager, which revokes the token, and exits by itself.
  assert.equal(await liveV21(id), 1);
  bot.kill('SIGINT');
  assert.deepEqual(await exited, [0, null], 'exits 0 on SIGINT');
  assert.equal(await liveV21(id), 0, 'the token was revoked on close');
});
