// Fuzz: over 10,000 random and mutated requests over real HTTP (methods, paths, query
// strings, headers, content types, bodies valid, mutated, truncated, binary and oversized).
// Every answer must be a well-formed HTTP response with a JSON body (revoke's empty 200 and
// HEAD's empty body aside), never a 500, and the server must still answer afterwards.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { Emulator } from '../../src/emulator/index.js';
import { ASSERTION_TYPE, T0, claims, header, postForm, rsaKey, signJws, start } from './helpers.js';
import { ROUTES } from './rules.js';

const CH = { id: '1800000001', secret: '8'.repeat(32) };
const RUNS = 500;
const BATCH = 20; // requests in flight at once: RUNS * BATCH = 10,000 requests
const HANG_GUARD_MS = 120_000;
const EMPTY_200_PATHS = new Set(['/v2/oauth/revoke', '/oauth2/v2.1/revoke']);

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

interface Seeds {
  values: string[];
}

function arbitraries(seeds: Seeds) {
  const printable = fc.string({
    unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: 40,
  });
  const validValue = fc.constantFrom(...seeds.values);
  // One edit of a valid value: a flipped, dropped or inserted character, or a cut.
  const mutated = fc
    .tuple(validValue, fc.nat(), fc.integer({ min: 0, max: 3 }), fc.string({ maxLength: 2 }))
    .map(([v, at, kind, s]) => {
      const i = v.length === 0 ? 0 : at % v.length;
      if (kind === 0) return v.slice(0, i) + s + v.slice(i + 1);
      if (kind === 1) return v.slice(0, i) + v.slice(i + 1);
      if (kind === 2) return v.slice(0, i) + s + v.slice(i);
      return v.slice(0, i);
    });
  const value = fc.oneof(
    { arbitrary: validValue, weight: 4 },
    { arbitrary: mutated, weight: 4 },
    { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 1 },
    { arbitrary: fc.constant(''), weight: 1 },
  );
  const name = fc.oneof(
    {
      arbitrary: fc.constantFrom(
        'grant_type',
        'client_id',
        'client_secret',
        'client_assertion_type',
        'client_assertion',
        'access_token',
      ),
      weight: 8,
    },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  );
  const form = fc
    .array(fc.tuple(name, value), { maxLength: 6 })
    .map((pairs) => new URLSearchParams(pairs).toString());
  const body = fc.oneof(
    { arbitrary: form, weight: 160 },
    { arbitrary: form.chain((b) => fc.nat(b.length).map((n) => b.slice(0, n))), weight: 40 }, // truncated
    { arbitrary: printable, weight: 20 }, // raw text: stray %, &, =
    { arbitrary: fc.uint8Array({ maxLength: 256 }), weight: 20 },
    { arbitrary: fc.json(), weight: 20 },
    { arbitrary: fc.constant(`a=${'x'.repeat(70_000)}`), weight: 1 }, // oversized
  );
  const opPaths = Object.values(ROUTES).map((r) => r.path);
  const adminPaths = [
    '/__emulator/channels',
    `/__emulator/channels/${CH.id}/keys`,
    `/__emulator/channels/${CH.id}/tokens`,
    `/__emulator/channels/${CH.id}/long-lived`,
    '/__emulator/stats',
    '/__emulator/clock',
    '/__emulator/nope',
  ];
  const path = fc.oneof(
    { arbitrary: fc.constantFrom(...opPaths), weight: 10 },
    { arbitrary: fc.constantFrom(...adminPaths), weight: 1 },
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...opPaths), printable)
        .map(([p, s]) => p + s.replace(/[?#]/g, '')),
      weight: 1,
    },
    { arbitrary: fc.webPath(), weight: 1 },
  );
  const query = fc.oneof(
    { arbitrary: fc.constant(''), weight: 3 },
    { arbitrary: form.map((q) => `?${q}`), weight: 6 },
    { arbitrary: printable.map((q) => `?${q.replace(/#/g, '%23')}`), weight: 1 },
  );
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/x-www-form-urlencoded'), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        'application/x-www-form-urlencoded; charset=utf-8',
        'application/json',
        'text/plain',
        'multipart/form-data; boundary=x',
        '',
      ),
      weight: 2,
    },
    { arbitrary: printable, weight: 1 },
  );
  const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,12}$/);
  return fc
    .record({
      method: fc.oneof(
        { arbitrary: fc.constantFrom('GET', 'POST'), weight: 8 },
        { arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), weight: 1 },
      ),
      path,
      query,
      contentType: fc.option(contentType, { freq: 6 }),
      extra: fc.dictionary(headerName, printable, { maxKeys: 2 }),
      body: fc.option(body, { freq: 5 }),
    })
    .filter((r) => !(r.path === '/__emulator/faults' || r.path.startsWith('/__emulator/reset')))
    .map((r): FuzzRequest => ({
      method: r.method,
      path: r.path + r.query,
      headers: {
        ...r.extra,
        ...(r.contentType === null ? {} : { 'content-type': r.contentType }),
        // Node's client omits Content-Length on a HEAD with a body, which then reads as a
        // second, garbled request; declaring it keeps every request one request.
        ...(r.body === null ? {} : { 'content-length': String(Buffer.byteLength(r.body)) }),
      },
      body: r.body ?? undefined,
    }));
}

const agent = new Agent({ keepAlive: true, maxSockets: BATCH });

function send(
  url: URL,
  r: FuzzRequest,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: r.method,
        path: r.path,
        headers: r.headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (err) =>
      reject(new Error(`${r.method} ${r.path.slice(0, 80)}: ${err.message}`, { cause: err })),
    );
    // A hang guard, not a speed check: an emulator that never answers fails with the request
    // that it did not answer, instead of holding the suite until CI gives up.
    req.setTimeout(HANG_GUARD_MS, () =>
      req.destroy(
        new Error(`no answer in ${HANG_GUARD_MS / 1000} s (headers ${JSON.stringify(r.headers)})`),
      ),
    );
    req.end(r.body);
  });
}

function checkAnswer(
  r: FuzzRequest,
  a: { status: number; headers: Record<string, unknown>; text: string },
): void {
  const where = `${r.method} ${r.path.slice(0, 80)} -> ${a.status} ${a.text.slice(0, 120)}`;
  assert.ok(a.status >= 200 && a.status <= 599, where);
  assert.notEqual(a.status, 500, where);
  assert.match(String(a.headers['x-line-request-id']), /^[0-9a-f-]{36}$/, where);
  if (r.method === 'HEAD') return;
  const path = r.path.split('?')[0]!;
  if (a.text === '') {
    assert.ok(
      a.status === 200 && r.method === 'POST' && EMPTY_200_PATHS.has(path),
      `empty body: ${where}`,
    );
    return;
  }
  // The dashboard page is the one HTML answer; anything else answers JSON.
  if (a.status === 200 && r.method === 'GET' && ['', '/', '/dashboard'].includes(path)) {
    assert.equal(a.headers['content-type'], 'text/html; charset=utf-8', where);
    return;
  }
  assert.equal(a.headers['content-type'], 'application/json', where);
  const parsed: unknown = JSON.parse(a.text);
  assert.ok(typeof parsed === 'object' && parsed !== null, where);
}

describe('fuzz', () => {
  let emu: Emulator;
  let seeds: Seeds;
  before(async () => {
    ({ emu } = await start({ channels: [CH], rateLimit: true }));
    const key = rsaKey('fuzz');
    const { kid } = await emu.admin.registerKey(CH.id, key.publicJwk);
    const nowSec = T0 / 1000; // the fake clock of start(), frozen
    const assertion = signJws(header(kid), claims(CH.id, nowSec), key.privateKey);
    const v21 = await postForm(emu.url, '/oauth2/v2.1/token', {
      grant_type: 'client_credentials',
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
    const short = await postForm(emu.url, '/v2/oauth/accessToken', {
      grant_type: 'client_credentials',
      client_id: CH.id,
      client_secret: CH.secret,
    });
    const v21Token = (v21.json as { access_token: string }).access_token;
    const shortToken = (short.json as { access_token: string }).access_token;
    assert.ok(v21Token && shortToken);
    seeds = {
      values: [
        CH.id,
        CH.secret,
        'client_credentials',
        ASSERTION_TYPE,
        assertion,
        v21Token,
        shortToken,
        signJws(header(kid, { alg: 'none' }), claims(CH.id, nowSec), key.privateKey),
      ],
    };
  });
  after(async () => {
    agent.destroy();
    await emu.close();
  });

  // Ten thousand requests, one batch at a time: about 15 s on a shared machine.
  test(
    `answers ${RUNS * BATCH} random and mutated requests with well-formed JSON and stays up`,
    { timeout: 90_000 },
    async () => {
      const url = new URL(emu.url);
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(arbitraries(seeds), { minLength: BATCH, maxLength: BATCH }),
          async (batch) => {
            const answers = await Promise.all(batch.map((r) => send(url, r)));
            sent += batch.length;
            batch.forEach((r, i) => checkAnswer(r, answers[i]!));
          },
        ),
        { numRuns: RUNS, seed: 20_240_601, endOnFailure: true, includeErrorInReport: true },
      );
      assert.ok(sent >= 10_000, `sent ${sent}`);
      // Still up, and still right: a fresh long-lived token verifies.
      const { accessToken } = await emu.admin.issueLongLived(CH.id);
      const alive = await postForm(emu.url, '/v2/oauth/verify', { access_token: accessToken });
      assert.equal(alive.status, 200, alive.text);
      const { requests } = await emu.admin.stats();
      const counted = Object.values(requests).reduce((a, b) => a + b, 0);
      // About four in five requests target an operation's path (the rest: admin and unknown paths).
      assert.ok(counted > 6_000, `the operations saw ${counted} requests`);
    },
  );
});
