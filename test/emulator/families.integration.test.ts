// The token families of docs/line-rules.md: lifetimes and per-channel limits on the virtual clock.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import {
  ASSERTION_TYPE,
  FakeClock,
  claims,
  header,
  postForm,
  getQuery,
  raw,
  rsaKey,
  signJws,
  start,
} from './helpers.js';
import { emulatorFor } from '../fixtures.js';

const CH = { id: '1100000001', secret: 'f'.repeat(32) };
let emu: Emulator;
let clock: FakeClock;
let kid: string;
const key = rsaKey('families');

const assertion = (over: Record<string, unknown> = {}) =>
  signJws(header(kid), claims(CH.id, clock.sec, over), key.privateKey);
const issueV21 = (tokenExp = 3600) =>
  postForm(emu.url, '/oauth2/v2.1/token', {
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: assertion({ token_exp: tokenExp }),
  });
const issueShort = () =>
  postForm(emu.url, '/v2/oauth/accessToken', {
    grant_type: 'client_credentials',
    client_id: CH.id,
    client_secret: CH.secret,
  });
const issueStateless = () =>
  postForm(emu.url, '/oauth2/v3/token', {
    grant_type: 'client_credentials',
    client_id: CH.id,
    client_secret: CH.secret,
  });
const verifyV21 = (token: string) =>
  getQuery(emu.url, '/oauth2/v2.1/verify', { access_token: token });
const verify = (token: string) => postForm(emu.url, '/v2/oauth/verify', { access_token: token });
const tokenOf = (r: { json: unknown }) => (r.json as { access_token: string }).access_token;
const live = async (family: string) =>
  (await emu.admin.listTokens(CH.id)).filter((t) => t.family === family);
const LIMIT = { message: 'The maximum number of access tokens has already been issued' };

describe('token families', () => {
  before(async () => {
    ({ emu, clock } = await start({ channels: [CH] }));
  });
  beforeEach(async () => {
    await emu.admin.reset();
    ({ kid } = await emu.admin.registerKey(CH.id, key.publicJwk));
  });
  after(() => emu.close());

  describe('v2.1', () => {
    test('30 live tokens; the 31st is refused and nothing is revoked', async () => {
      const tokens: string[] = [];
      for (let i = 0; i < 30; i++) tokens.push(tokenOf(await issueV21()));
      const refused = await issueV21();
      assert.equal(refused.status, 400);
      assert.deepEqual(refused.json, LIMIT);
      assert.equal((await live('v2.1')).length, 30);
      for (const t of [tokens[0]!, tokens[29]!]) assert.equal((await verifyV21(t)).status, 200);
    });

    test('concurrent issues never overshoot the limit', async () => {
      const answers = await Promise.all(Array.from({ length: 40 }, () => issueV21()));
      assert.equal(answers.filter((a) => a.status === 200).length, 30);
      assert.equal(answers.filter((a) => a.status === 400).length, 10);
      assert.equal((await live('v2.1')).length, 30);
    });

    test('expired and revoked tokens stop counting toward the limit', async () => {
      for (let i = 0; i < 29; i++) await issueV21(3600);
      const shortOne = tokenOf(await issueV21(60));
      assert.deepEqual((await issueV21()).json, LIMIT);
      clock.advance(60);
      assert.deepEqual((await verifyV21(shortOne)).json, {
        error: 'invalid_request',
        error_description: 'The access token expired',
      });
      const replacement = tokenOf(await issueV21());
      assert.deepEqual((await issueV21()).json, LIMIT);
      const revoke = await postForm(emu.url, '/oauth2/v2.1/revoke', {
        client_id: CH.id,
        client_secret: CH.secret,
        access_token: replacement,
      });
      assert.equal(revoke.status, 200);
      assert.equal((await issueV21()).status, 200);
    });

    test('expires_in counts down on the virtual clock and the token expires at token_exp', async () => {
      const token = tokenOf(await issueV21(100));
      clock.advance(40);
      assert.equal(((await verifyV21(token)).json as { expires_in: number }).expires_in, 60);
      clock.advance(59);
      assert.equal(((await verifyV21(token)).json as { expires_in: number }).expires_in, 1);
      clock.advance(1);
      assert.equal((await verifyV21(token)).status, 400);
    });

    test('each token has its own 22-character key_id, listed by the key-id operation', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(((await issueV21()).json as { key_id: string }).key_id);
      const kids = await getQuery(emu.url, '/oauth2/v2.1/tokens/kid', {
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: assertion({ token_exp: undefined }),
      });
      const listed = (kids.json as { kids: string[] }).kids;
      assert.equal(listed.length, 10);
      assert.equal(new Set(listed).size, 10);
      assert.deepEqual(listed, ids, 'the live key_ids, oldest first');
      for (const id of listed) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
      assert.notEqual(listed[0], kid, 'key_id is not the assertion key kid');
    });
  });

  describe('short-lived', () => {
    test('30 live; the 31st evicts (revokes) the oldest', async () => {
      const tokens: string[] = [];
      for (let i = 0; i < 31; i++) tokens.push(tokenOf(await issueShort()));
      assert.equal((await live('short-lived')).length, 30);
      assert.deepEqual((await verify(tokens[0]!)).json, {
        error: 'invalid_request',
        error_description: 'access_token invalid',
      });
      assert.equal((await verify(tokens[1]!)).status, 200);
      assert.equal((await verify(tokens[30]!)).status, 200);
    });

    test('lives 30 days, then verify says invalid', async () => {
      const token = tokenOf(await issueShort());
      clock.advance(2_592_000 - 1);
      assert.equal(((await verify(token)).json as { expires_in: number }).expires_in, 1);
      clock.advance(1);
      assert.equal((await verify(token)).status, 400);
      assert.equal((await live('short-lived')).length, 0);
    });

    test('tokens are 172 base64 characters and never repeat', async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const t = tokenOf(await issueShort());
        assert.match(t, /^[A-Za-z0-9+/]{172}$/);
        seen.add(t);
      }
      assert.equal(seen.size, 200);
    });
  });

  describe('stateless', () => {
    test('900 s, unlimited, never stored', async () => {
      const tokens: string[] = [];
      for (let i = 0; i < 40; i++) tokens.push(tokenOf(await issueStateless()));
      assert.equal(new Set(tokens).size, 40);
      assert.deepEqual(await emu.admin.listTokens(CH.id), []);
      const t = tokens[0]!;
      assert.match(t, /^eyJhbGciOiJIUzI1NiJ9\./);
      clock.advance(899);
      // LINE's scope is "not always included": a stateless token's answer has none.
      assert.deepEqual((await verify(t)).json, { client_id: CH.id, expires_in: 1 });
      clock.advance(1);
      assert.equal((await verify(t)).status, 400);
    });

    test('revoking one is a 200 that changes nothing', async () => {
      const t = tokenOf(await issueStateless());
      const r = await postForm(emu.url, '/v2/oauth/revoke', { access_token: t });
      assert.equal(r.status, 200);
      assert.equal(r.text, '');
      assert.equal((await verify(t)).status, 200);
    });

    test('a forged stateless token (payload or signature edited, or re-signed) is not accepted', async () => {
      const t = tokenOf(await issueStateless());
      const [h, p, s] = t.split('.') as [string, string, string];
      const bytes = Buffer.from(p, 'base64url');
      for (let i = 0; i < bytes.length; i += 7) {
        const edited = Buffer.from(bytes);
        edited[i] = edited[i]! ^ 0x01;
        const forged = `${h}.${edited.toString('base64url')}.${s}`;
        assert.equal((await verify(forged)).status, 400, `byte ${i} flipped`);
      }
      const sig = Buffer.from(s, 'base64url');
      sig[0] = sig[0]! ^ 0x80;
      assert.equal((await verify(`${h}.${p}.${sig.toString('base64url')}`)).status, 400);
      // An HS256 signature under a guessed secret, over the same payload.
      const guessed = signJws({ alg: 'HS256' }, 'x', Buffer.from('secret'));
      const [, , guessedSig] = guessed.split('.');
      assert.equal((await verify(`${h}.${p}.${guessedSig!}`)).status, 400);
      assert.equal((await verify(t)).status, 200, 'the genuine token still verifies');
    });

    test('tokens are opaque: no part of a v2.1 or stateless payload decodes as JSON', async () => {
      const tokens = [tokenOf(await issueStateless()), tokenOf(await issueStateless())];
      for (const t of tokens) {
        const payload = Buffer.from(t.split('.')[1]!, 'base64url');
        assert.throws(() => JSON.parse(payload.toString('utf8')) as unknown);
        assert.ok(!payload.toString('latin1').includes(CH.id), 'the channel id does not show');
      }
      assert.notEqual(tokens[0]!.split('.')[1], tokens[1]!.split('.')[1]);
    });
  });

  describe('long-lived', () => {
    test('one per channel: a reissue without grace disables the old one', async () => {
      const first = (await emu.admin.issueLongLived(CH.id)).accessToken;
      assert.equal((await verify(first)).status, 200);
      const second = (await emu.admin.issueLongLived(CH.id)).accessToken;
      assert.equal((await verify(first)).status, 400);
      assert.equal((await verify(second)).status, 200);
      const listed = await live('long-lived');
      assert.deepEqual(
        listed.map((t) => [t.accessToken, t.expiresAt]),
        [[second, null]],
      );
    });

    test('a reissue with grace keeps the old one alive for graceSec', async () => {
      const first = (await emu.admin.issueLongLived(CH.id)).accessToken;
      await emu.admin.issueLongLived(CH.id, { graceSec: 3600 });
      assert.equal((await live('long-lived')).length, 2);
      clock.advance(3599);
      assert.equal(((await verify(first)).json as { expires_in: number }).expires_in, 1);
      clock.advance(1);
      assert.equal((await verify(first)).status, 400);
      assert.equal((await live('long-lived')).length, 1);
    });

    test('revoke ends it; grace outside 0..86400 is refused', async () => {
      const t = (await emu.admin.issueLongLived(CH.id)).accessToken;
      assert.equal((await postForm(emu.url, '/v2/oauth/revoke', { access_token: t })).status, 200);
      assert.equal((await verify(t)).status, 400);
      await assert.rejects(emu.admin.issueLongLived(CH.id, { graceSec: 86_401 }), {
        code: 'ERR_LINE_INVALID_ARGUMENT',
        argument: 'graceSec',
      });
      await assert.rejects(emu.admin.issueLongLived(CH.id, { graceSec: 1.5 }), {
        argument: 'graceSec',
      });
    });
  });

  describe('virtual clock', () => {
    test('advanceClock over the admin HTTP route moves the same clock', async () => {
      const token = tokenOf(await issueShort());
      const r = await raw(emu.url, {
        method: 'POST',
        path: '/__emulator/clock',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSec: 2_592_000 }),
      });
      assert.equal(r.status, 200);
      assert.equal((r.json as { now: number }).now, clock.ms + 2_592_000_000);
      assert.equal((await verify(token)).status, 400);
    });

    test('refuses to go backwards or to non-numbers', async () => {
      await assert.rejects(emu.admin.advanceClock(-1), { argument: 'seconds' });
      await assert.rejects(emu.admin.advanceClock(Number.NaN), { argument: 'seconds' });
    });

    test('refuses a step so large the Date header would stop being a date, with a clear 400', async () => {
      const before = (await emu.admin.advanceClock(0)).now;
      for (const advanceSec of [1e300, 3_155_760_001]) {
        const r = await raw(emu.url, {
          method: 'POST',
          path: '/__emulator/clock',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ advanceSec }),
        });
        assert.equal(r.status, 400, r.text);
        assert.match((r.json as { message: string }).message, /100 years/);
      }
      // Steps of 100 years each until the next would pass the year 9999: refused, not wrapped.
      let refused = false;
      for (let i = 0; i < 100 && !refused; i++) {
        refused = await emu.admin.advanceClock(3_155_760_000).then(
          () => false,
          () => true,
        );
      }
      assert.ok(refused);
      const info = await raw(emu.url, { method: 'GET', path: '/v2/bot/info' });
      assert.notEqual(info.headers['date'], 'Invalid Date');
      assert.ok(Number.isFinite(Date.parse(String(info.headers['date']))));
      assert.ok((await emu.admin.advanceClock(0)).now > before);
    });

    test('without a now option it follows Date.now', async (t) => {
      const real = await emulatorFor(t);
      const before = Date.now();
      const { now } = await real.admin.advanceClock(0);
      assert.ok(now >= before && now <= Date.now());
    });
  });
});
