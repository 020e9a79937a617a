// Test helpers for the emulator. Assertions here are signed by plain node:crypto, on
// purpose independent of src/assertion, so the emulator is checked against the JWT spec and
// not against our own signer.
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const AUD = 'https://api.line.me/';
/** A fixed start for virtual clocks: 2023-11-14T22:13:20Z. */
export const T0 = 1_700_000_000_000;

/** A frozen clock the emulator and the test share; only `advance` moves it. */
export class FakeClock {
  ms: number;
  constructor(ms = T0) {
    this.ms = ms;
  }
  readonly now = (): number => this.ms;
  get sec(): number {
    return Math.floor(this.ms / 1000);
  }
  advance(sec: number): void {
    this.ms += sec * 1000;
  }
}

export interface RsaKey {
  privateKey: KeyObject;
  /** The public JWK as the Console takes it: kty, n, e, alg, use. */
  publicJwk: Record<string, unknown>;
}

const keyCache = new Map<string, RsaKey>();
/** An RSA key pair (cached per name and size: generation is the slowest thing in a test). */
export function rsaKey(name: string, bits = 2048): RsaKey {
  const cacheKey = `${name}:${bits}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    key = {
      privateKey,
      publicJwk: { ...publicKey.export({ format: 'jwk' }), alg: 'RS256', use: 'sig' },
    };
    keyCache.set(cacheKey, key);
  }
  return key;
}

export const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');
const part = (value: object | string): string =>
  b64url(typeof value === 'string' ? value : JSON.stringify(value));

/** Signs `header.claims` with node:crypto for RS256/RS512/PS256, or HMAC for HS256. */
export function signJws(
  header: Record<string, unknown>,
  claims: object | string,
  key: KeyObject | Buffer,
): string {
  const input = `${part(header)}.${part(claims)}`;
  const alg = header['alg'];
  let sig: Buffer;
  if (alg === 'HS256')
    sig = createHmac('sha256', key as Buffer)
      .update(input)
      .digest();
  else if (alg === 'RS512') sig = cryptoSign('sha512', Buffer.from(input), key as KeyObject);
  else if (alg === 'PS256') {
    sig = cryptoSign('sha256', Buffer.from(input), {
      key: key as KeyObject,
      padding: 6, // RSA_PKCS1_PSS_PADDING
      saltLength: 32,
    });
  } else if (alg === 'none') sig = Buffer.alloc(0);
  else sig = cryptoSign('sha256', Buffer.from(input), key as KeyObject);
  return `${input}.${b64url(sig)}`;
}

/** LINE's claims for `channelId` at `nowSec`, with overrides (`undefined` deletes a claim). */
export function claims(
  channelId: string,
  nowSec: number,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    iss: channelId,
    sub: channelId,
    aud: AUD,
    exp: nowSec + 300,
    token_exp: 86_400,
    ...overrides,
  };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

/** A correct assertion header for `kid`, with overrides (`undefined` deletes a member). */
export function header(kid: string, overrides: Record<string, unknown> = {}) {
  const out: Record<string, unknown> = { alg: 'RS256', typ: 'JWT', kid, ...overrides };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

/** The public key as PEM text: what an attacker would use as an HS256 secret. */
export function publicPem(key: RsaKey): Buffer {
  const pub = createPublicKey(
    createPrivateKey(key.privateKey.export({ format: 'pem', type: 'pkcs8' })),
  );
  return Buffer.from(pub.export({ format: 'pem', type: 'spki' }) as string);
}

/** A raw HTTP answer. */
export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** Sends one request with node:http (no fetch, no client of ours) and reads the whole answer. */
export function raw(
  baseUrl: string,
  options: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<RawAnswer> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method, headers: options.headers ?? {}, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs a form to the emulator. */
export function postForm(baseUrl: string, path: string, params: Record<string, string>) {
  return raw(baseUrl, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
}

/** GETs with query parameters. */
export function getQuery(baseUrl: string, path: string, params: Record<string, string>) {
  return raw(baseUrl, { method: 'GET', path: `${path}?${new URLSearchParams(params).toString()}` });
}

/** Starts an emulator on a fake clock with rate limits off (tests opt in to them). */
export async function start(
  options: EmulatorOptions = {},
): Promise<{ emu: Emulator; clock: FakeClock }> {
  const clock = new FakeClock();
  const emu = await startEmulator({ now: clock.now, rateLimit: false, ...options });
  return { emu, clock };
}
