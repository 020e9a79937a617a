// The floor under any emulator that keeps state, for bench/emulator.bench.ts: a lean
// node:http server doing what docs/line-rules.md requires of a v2.1 issue and a stateless issue on
// the bench's happy path, written out inline with nothing of ours in it. It reads and parses
// the form strictly (a repeated field refused, escapes decoded only where present), checks
// the assertion (kid, RS256 signature, iss, aud, exp, token_exp) or the channel secret,
// keeps each v2.1 token with its channel's live list (LINE's 30; expired tokens pruned only
// when the list is full), mints a stateless token verifiable without storage (a masked
// payload and a keyed hash), and answers JSON with a request id and a Date header. Each
// technique is the cheapest we know: random bytes drawn from one pooled buffer, answers
// built from string templates, headers handed to writeHead as a flat array, the answers of
// one turn of the event loop written together after it. No routing
// table, faults, counters, rate limits, virtual clock, admin API or error answers beyond a
// bare 400: everything the emulator does on top is what its ratio pays for.
import {
  createPublicKey,
  hash,
  randomBytes,
  randomFillSync,
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

  // One CSPRNG call fills a pool many tokens draw from.
  const pool = Buffer.alloc(8192);
  let poolAt = pool.length;
  const fresh = (n: number): Buffer => {
    if (poolAt + n > pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    poolAt += n;
    return pool.subarray(poolAt - n, poolAt);
  };
  let dateSecond = -1;
  let dateText = '';
  const date = (now: number): string => {
    const second = Math.floor(now / 1000);
    if (second !== dateSecond) {
      dateSecond = second;
      dateText = new Date(second * 1000).toUTCString();
    }
    return dateText;
  };
  // Answers of one turn of the event loop written together after it, as the emulator does
  // (src/emulator/internal/http.ts): back to back, the writes after the first find the
  // client awake instead of waking it.
  const queued: Array<[ServerResponse, number, string]> = [];
  const writeQueued = () => {
    for (const [res, status, text] of queued.splice(0)) write(res, status, text);
  };
  const answer = (res: ServerResponse, status: number, text: string) => {
    if (queued.push([res, status, text]) === 1) setImmediate(writeQueued);
  };
  const write = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, [
      'date',
      date(Date.now()),
      'x-line-request-id',
      randomUUID(),
      'content-type',
      'application/json',
      'content-length',
      String(Buffer.byteLength(text)),
    ]);
    res.end(text);
  };
  const json = (segment: string) =>
    JSON.parse(Buffer.from(segment, 'base64url').toString()) as Record<string, unknown>;
  const decode = (part: string) =>
    part.includes('%') || part.includes('+') ? decodeURIComponent(part.replaceAll('+', ' ')) : part;
  /** A strict form: undefined for a repeated field or a bad escape. */
  const parseForm = (text: string): Map<string, string> | undefined => {
    const form = new Map<string, string>();
    try {
      for (const pair of text.split('&')) {
        const eq = pair.indexOf('=');
        const name = decode(eq < 0 ? pair : pair.slice(0, eq));
        if (form.has(name)) return undefined;
        form.set(name, eq < 0 ? '' : decode(pair.slice(eq + 1)));
      }
    } catch {
      return undefined;
    }
    return form;
  };
  const INVALID_CLIENT = '{"error":"invalid_client"}';

  const issueV21 = (form: Map<string, string>, res: ServerResponse) => {
    const assertion = form.get('client_assertion') ?? '';
    const [h = '', p = '', s = ''] = assertion.split('.');
    const header = json(h);
    const owner = keys.get(header['kid'] as string);
    if (!owner || header['alg'] !== 'RS256') return answer(res, 400, INVALID_CLIENT);
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
      return answer(res, 400, INVALID_CLIENT);
    }
    let list = live.get(owner.channel);
    if (list === undefined) live.set(owner.channel, (list = []));
    if (list.length >= LIVE_LIMIT) {
      const kept = list.filter((t) => t.expiresAt > now);
      for (const gone of list) if (gone.expiresAt <= now) tokens.delete(gone.token);
      live.set(owner.channel, (list = kept));
      if (list.length >= LIVE_LIMIT) return answer(res, 400, '{"message":"limit"}');
    }
    const bytes = fresh(80);
    const record = { token: bytes.toString('base64url', 0, 64), expiresAt: now + tokenExp * 1000 };
    list.push(record);
    tokens.set(record.token, { ...record, channel: owner.channel });
    return answer(
      res,
      200,
      `{"access_token":"${record.token}","token_type":"Bearer","expires_in":${tokenExp},"key_id":"${bytes.toString('base64url', 64)}"}`,
    );
  };

  const issueStateless = (form: Map<string, string>, res: ServerResponse) => {
    const id = form.get('client_id') ?? '';
    if (secrets.get(id) !== form.get('client_secret')) {
      return answer(res, 400, '{"error":"invalid_request"}');
    }
    // Channel and expiry masked under a keystream of (seed, nonce), then a keyed hash over it
    // (one-shot: a Hmac object per token costs several times more in a busy server).
    const nonce = Buffer.from(fresh(16));
    const plain = Buffer.from(`${Math.floor(Date.now() / 1000) + 900}.${id}`);
    const mask = hash('sha256', `${maskSeed}.${nonce.toString('base64')}`, 'buffer');
    for (let i = 0; i < plain.length; i++) plain[i]! ^= mask[i % mask.length]!;
    const input = `eyJhbGciOiJIUzI1NiJ9.${Buffer.concat([nonce, plain]).toString('base64url')}`;
    const mac = hash('sha256', `${macKey}${input}`, 'base64url');
    return answer(
      res,
      200,
      `{"token_type":"Bearer","access_token":"${input}.${mac}","expires_in":900}`,
    );
  };

  let served = 0;
  const server = createServer((req, res) => {
    served++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const form = parseForm(body.toString());
      if (form === undefined) answer(res, 400, '{"error":"invalid_request"}');
      else if (req.url === '/oauth2/v2.1/token') issueV21(form, res);
      else issueStateless(form, res);
    });
  });
  await serve(server, () => served);
}
