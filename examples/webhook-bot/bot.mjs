// A webhook bot on plain node:http: LINE posts events to /webhook, the bot checks the
// signature with the channel secret and replies to each text message with the same text.
// A reply token is good once, for about a minute: when LINE refuses it (a slow answer, a
// redelivered event) the bot pushes the same answer to the user instead.
// The token is kept fresh by the manager; managedClient rebuilds the SDK's client when the
// token changes and retries a call once if LINE answers 401 (a token revoked elsewhere).
//
//   LINE_CHANNEL_ID=... LINE_CHANNEL_SECRET=... LINE_ASSERTION_KID=... \
//   LINE_ASSERTION_PRIVATE_KEY=key.json PORT=3000 node bot.mjs
import { createServer } from 'node:http';
import { HTTPFetchError, messagingApi, validateSignature } from '@line/bot-sdk';
import { TokenManager, managedClient } from 'line-token';
import { apiBaseUrlFromEnv, strategyFromEnv } from 'line-token/env';

const baseUrl = apiBaseUrlFromEnv() ?? 'https://api.line.me';
const channelSecret = process.env.LINE_CHANNEL_SECRET; // also checks webhook signatures

const tokens = new TokenManager({
  // v2.1 from the LINE_* variables; the secret lets it revoke the tokens it supersedes.
  strategy: await strategyFromEnv({ type: 'v2.1' }),
  clientOptions: { baseUrl },
});
const line = managedClient(tokens, {
  create: (channelAccessToken) =>
    new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: baseUrl }),
});

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function handle(req, res) {
  if (req.method !== 'POST' || req.url !== '/webhook') return res.writeHead(404).end();
  const body = await readBody(req);
  const signature = req.headers['x-line-signature'];
  if (typeof signature !== 'string' || !validateSignature(body, channelSecret, signature)) {
    return res.writeHead(401).end();
  }
  for (const event of JSON.parse(body).events ?? []) {
    if (event.type !== 'message' || event.message.type !== 'text') continue;
    const messages = [{ type: 'text', text: event.message.text }];
    try {
      await line.call((client) => client.replyMessage({ replyToken: event.replyToken, messages }));
    } catch (err) {
      if (!(err instanceof HTTPFetchError) || !/Invalid reply token/.test(err.body)) throw err;
      await line.call((client) => client.pushMessage({ to: event.source.userId, messages }));
    }
  }
  res.writeHead(200).end();
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    // The error's message never holds a token or a secret (line-token's errors redact).
    console.error('webhook failed:', err.message);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});

// Ctrl-C in a terminal sends SIGINT; a container or process manager sends SIGTERM. Either
// way: stop taking requests and close the manager, which revokes its token (it has no store,
// so no later process could use that token).
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    server.close();
    void tokens.close();
  });
}
