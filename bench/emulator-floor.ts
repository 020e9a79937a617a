// The floor under any emulator that keeps state, for bench/emulator.bench.ts: a node:http
// server doing only what docs/line-rules.md requires of a v2.1 issue and a stateless issue, on the
// bench's happy path, written out inline with nothing of ours in it. It reads and parses the
// form, checks the assertion (kid, RS256 signature, iss, aud, exp, token_exp) or the channel
// secret, keeps each v2.1 token with its channel's live list (LINE's 30), mints a stateless
// token verifiable without storage (a masked payload and a keyed hash), and answers JSON with a
// request id. No routing table, faults, counters, rate limits, virtual clock, admin API or
// error answers beyond a bare 400: everything the emulator does on top is what the
// emulator's ratio pays for and this one does not.
import {
  createPublicKey,
  hash,
  randomBytes,
  randomUUID,
  verify,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';

const LIVE_LIMIT = 30;
const AUDIENCE = 'https://api.line.me/';

interface Live {
  token: string;
  expiresAt: number;
}

/** Starts the floor server as a role of the emulator bench (`serve` is its serveRole). */
export async function roleFloor(
  keyFile: string,
  channelId: (i: number) => string,
  secret: string,
  serve: (server: Server, served: () => number) => Promise<void>,
): Promise<void> {
  const { jwk, kids } = JSON.parse(readFileSync(keyFile, 'utf8')) as {
    jwk: import('node:crypto').JsonWebKey;
    kids: string[];
  };
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const keys = new Map<string, { key: KeyObject; channel: string }>();
  kids.forEach((kid, i) => keys.set(kid, { key, channel: channelId(i) }));
  const secrets = new Map(kids.map((_, i) => [channelId(i), secret]));
  const live = new Map<string, Live[]>();
  const tokens = new Map<string, Live & { channel: string }>();
  const macKey = randomBytes(32).toString('hex');
  const maskSeed = randomBytes(32).toString('hex');

  const answer = (res: ServerResponse, status: number, body: object) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'x-line-request-id': randomUUID(),
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const json = (segment: string) =>
    JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;

  const issueV21 = (form: URLSearchParams, res: ServerResponse) => {
    const assertion = form.get('client_assertion') ?? '';
    const [h = '', p = '', s = ''] = assertion.split('.');
    const header = json(h);
    const owner = keys.get(header['kid'] as string);
    if (!owner || header['alg'] !== 'RS256') return answer(res, 400, { error: 'invalid_client' });
    const signed = verify(
      'sha256',
      Buffer.from(`${h}.${p}`),
      owner.key,
      Buffer.from(s, 'base64url'),
    );
    const claims = json(p);
    const now = Date.now();
    const tokenExp = Number(claims['token_exp']);
    if (
      !signed ||
      claims['iss'] !== owner.channel ||
      claims['aud'] !== AUDIENCE ||
      Number(claims['exp']) * 1000 <= now ||
      !(tokenExp >= 1)
    ) {
      return answer(res, 400, { error: 'invalid_client' });
    }
    let list = live.get(owner.channel) ?? [];
    list = list.filter((t) => t.expiresAt > now);
    if (list.length >= LIVE_LIMIT) return answer(res, 400, { message: 'limit' });
    const record = {
      token: randomBytes(64).toString('base64url'),
      expiresAt: now + tokenExp * 1000,
    };
    list.push(record);
    live.set(owner.channel, list);
    tokens.set(record.token, { ...record, channel: owner.channel });
    return answer(res, 200, {
      access_token: record.token,
      token_type: 'Bearer',
      expires_in: tokenExp,
      key_id: randomBytes(16).toString('base64url'),
    });
  };

  const issueStateless = (form: URLSearchParams, res: ServerResponse) => {
    const id = form.get('client_id') ?? '';
    if (secrets.get(id) !== form.get('client_secret')) {
      return answer(res, 400, { error: 'invalid_request' });
    }
    // Channel and expiry masked under a keystream of (seed, nonce), then a keyed hash over it
    // (one-shot: a Hmac object per token costs several times more in a busy server).
    const nonce = randomBytes(16);
    const plain = Buffer.from(`${Math.floor(Date.now() / 1000) + 900}.${id}`);
    const mask = hash('sha256', `${maskSeed}.${nonce.toString('base64')}`, 'buffer');
    for (let i = 0; i < plain.length; i++) plain[i]! ^= mask[i % mask.length]!;
    const input = `eyJhbGciOiJIUzI1NiJ9.${Buffer.concat([nonce, plain]).toString('base64url')}`;
    const mac = hash('sha256', `${macKey}${input}`, 'base64url');
    return answer(res, 200, {
      token_type: 'Bearer',
      access_token: `${input}.${mac}`,
      expires_in: 900,
    });
  };

  let served = 0;
  const server = createServer((req, res) => {
    served++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      if (req.url === '/oauth2/v2.1/token') issueV21(form, res);
      else issueStateless(form, res);
    });
  });
  await serve(server, () => served);
}
