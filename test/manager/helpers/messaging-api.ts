// A small node:http server on 127.0.0.1 playing LINE's Messaging API for the manager's
// integrations: every route checks the bearer token (through `accepts`, e.g. the emulator's
// verify) and answers a refused one with LINE's 401; POST /v2/bot/message/push answers as
// LINE does. Every request is recorded with its token, headers and body.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** LINE's answer to a revoked or expired token (docs/line-rules.md, from the SDK's fixtures). */
export const INVALID_TOKEN_BODY = {
  message:
    'Authentication failed due to the following reason: invalid token. Confirm that the access token in the authorization header is valid.',
};

export interface Seen {
  method: string;
  path: string;
  /** The bearer token, or `undefined` without a Bearer header. */
  token: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer;
  status: number;
}

export interface MessagingApi {
  url: string;
  readonly seen: Seen[];
  /** Tokens answered 401 whatever `accepts` says. */
  readonly refused: Set<string>;
  close(): Promise<void>;
}

export async function startMessagingApi(
  accepts: (token: string) => Promise<boolean> = () => Promise.resolve(true),
): Promise<MessagingApi> {
  const seen: Seen[] = [];
  const refused = new Set<string>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const auth = req.headers.authorization;
        const token = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
        const body = Buffer.concat(chunks);
        const answer = (status: number, json: unknown): void => {
          seen.push({
            method: req.method ?? '',
            path: req.url ?? '',
            token,
            headers: req.headers,
            body,
            status,
          });
          res.writeHead(status, {
            'content-type': 'application/json',
            'x-line-request-id': `req-${seen.length}`,
          });
          res.end(JSON.stringify(json));
        };
        if (token === undefined || refused.has(token) || !(await accepts(token))) {
          answer(401, INVALID_TOKEN_BODY);
          return;
        }
        if (req.method === 'POST' && req.url === '/v2/bot/message/push') {
          let messages: unknown;
          try {
            messages = (JSON.parse(body.toString('utf8')) as { messages?: unknown }).messages;
          } catch {
            messages = undefined;
          }
          if (!Array.isArray(messages) || messages.length === 0) {
            answer(400, {
              message: 'The request body has 1 error(s)',
              details: [{ message: 'May not be empty', property: 'messages' }],
            });
            return;
          }
          answer(200, {
            sentMessages: messages.map((_, i) => ({ id: String(i + 1), quoteToken: `q${i + 1}` })),
          });
          return;
        }
        answer(200, {});
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    refused,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
