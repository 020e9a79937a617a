// Fault injection: fixed sequences, seeded random faults that replay, per-operation rules
// over the global one, and what each fault looks like on the wire and to our client.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ChannelAccessTokenClient } from '../../src/client/index.js';
import { LineApiError, LineInvalidResponseError, LineNetworkError } from '../../src/errors.js';
import type { Emulator, FaultConfig } from '../../src/emulator/index.js';
import { postForm, raw, start } from './helpers.js';

const CH = { id: '1400000001', secret: 'c'.repeat(32) };
const issue = (emu: Emulator) =>
  postForm(emu.url, '/v2/oauth/accessToken', {
    grant_type: 'client_credentials',
    client_id: CH.id,
    client_secret: CH.secret,
  });
const verify = (emu: Emulator) => postForm(emu.url, '/v2/oauth/verify', { access_token: 'x' });

/** The outcome of a request as a short label: the status, or 'reset'. */
async function outcome(p: Promise<{ status: number }>): Promise<string> {
  try {
    return String((await p).status);
  } catch {
    return 'reset';
  }
}

describe('fault injection', () => {
  let emu: Emulator;
  before(async () => {
    ({ emu } = await start({ channels: [CH] }));
  });
  beforeEach(() => emu.admin.reset());
  after(() => emu.close());

  test('a sequence answers its faults in order, then lets requests through', async () => {
    await emu.admin.setFaults({
      operations: {
        issueShortLived: {
          sequence: [
            { type: 'status', status: 503 },
            { type: 'rate-limit', retryAfterSec: 7 },
            'pass',
            { type: 'html-502' },
            { type: 'malformed' },
          ],
        },
      },
    });
    const unavailable = await issue(emu);
    assert.equal(unavailable.status, 503);
    assert.deepEqual(unavailable.json, { message: 'Service Unavailable' });
    const limited = await issue(emu);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '7');
    assert.deepEqual(limited.json, {
      message: 'The API rate limit has been exceeded. Try again later.',
    });
    assert.equal((await issue(emu)).status, 200);
    const proxy = await issue(emu);
    assert.equal(proxy.status, 502);
    assert.equal(proxy.headers['content-type'], 'text/html');
    assert.match(proxy.text, /<title>502 Bad Gateway<\/title>/);
    const malformed = await issue(emu);
    assert.equal(malformed.status, 200);
    assert.throws(() => JSON.parse(malformed.text), SyntaxError);
    assert.equal((await issue(emu)).status, 200);
    for (const r of [unavailable, limited, proxy, malformed])
      assert.ok(r.headers['x-line-request-id']);
  });

  test('reset drops the connection without an answer', async () => {
    await emu.admin.setFaults({ global: { sequence: [{ type: 'reset' }] } });
    assert.equal(await outcome(verify(emu)), 'reset');
    assert.equal(await outcome(verify(emu)), '400');
  });

  test("an operation's own rule overrides the global one", async () => {
    await emu.admin.setFaults({
      global: { random: [{ probability: 1, fault: { type: 'status', status: 500 } }] },
      operations: { verify: { latencyMs: 1 } },
    });
    assert.equal((await issue(emu)).status, 500);
    assert.equal((await verify(emu)).status, 400);
  });

  test('random faults replay exactly with the same seed, and differ with another', async () => {
    const config = (seed: number): FaultConfig => ({
      seed,
      global: {
        random: [
          { probability: 0.3, fault: { type: 'status', status: 503 } },
          { probability: 0.1, fault: { type: 'rate-limit' } },
        ],
      },
    });
    const run = async (seed: number) => {
      await emu.admin.setFaults(config(seed));
      const out: string[] = [];
      for (let i = 0; i < 300; i++) out.push(await outcome(verify(emu)));
      return out;
    };
    const first = await run(42);
    const again = await run(42);
    const other = await run(43);
    assert.deepEqual(again, first);
    assert.notDeepEqual(other, first);
    const count = (s: string) => first.filter((o) => o === s).length;
    // Deterministic for seed 42; the bounds only say the draws follow the probabilities.
    assert.ok(count('503') > 60 && count('503') < 120, `503 x${count('503')}`);
    assert.ok(count('429') > 10 && count('429') < 50, `429 x${count('429')}`);
    assert.equal(count('503') + count('429') + count('400'), 300);
  });

  test('added latency still answers normally', async () => {
    await emu.admin.setFaults({ global: { latencyMs: { min: 1, max: 5 } } });
    assert.equal((await issue(emu)).status, 200);
  });

  test('faulted requests are counted in stats', async () => {
    await emu.admin.setFaults({
      global: { sequence: [{ type: 'status', status: 500 }, { type: 'reset' }] },
    });
    await outcome(verify(emu));
    await outcome(verify(emu));
    await verify(emu);
    assert.deepEqual(await emu.admin.stats(), { requests: { verify: 3 } });
  });

  test('invalid configurations are refused with the member at fault, by its full path', async () => {
    const bad: Array<[unknown, string]> = [
      [{ global: { sequence: [{ type: 'status', status: 404 }] } }, 'global.sequence[0].status'],
      [
        {
          global: {
            random: [
              { probability: 0.7, fault: { type: 'reset' } },
              { probability: 0.7, fault: { type: 'reset' } },
            ],
          },
        },
        'global.random',
      ],
      [
        { global: { random: [{ probability: -1, fault: { type: 'reset' } }] } },
        'global.random[0].probability',
      ],
      [{ operations: { nope: {} } }, 'operations.nope'],
      [{ global: { latencyMs: { min: 5, max: 1 } } }, 'global.latencyMs.max'],
      [{ global: { sequence: [{ type: 'teapot' }] } }, 'global.sequence[0].type'],
      [{ global: { sequense: [] } }, 'global.sequense'],
      [{ seed: 1.5 }, 'seed'],
      [[], 'faults'],
    ];
    for (const [config, argument] of bad) {
      await assert.rejects(emu.admin.setFaults(config as FaultConfig), {
        code: 'ERR_LINE_INVALID_ARGUMENT',
        argument,
      });
    }
  });

  test('our client sees each fault as the matching error class', async () => {
    const client = new ChannelAccessTokenClient({ baseUrl: emu.url, retry: false });
    const creds = { channelId: CH.id, channelSecret: CH.secret };
    await emu.admin.setFaults({
      global: {
        sequence: [
          { type: 'status', status: 503 },
          { type: 'rate-limit', retryAfterSec: 3 },
          { type: 'html-502' },
          { type: 'malformed' },
          { type: 'reset' },
        ],
      },
    });
    await assert.rejects(
      client.issueShortLived(creds),
      (e) => e instanceof LineApiError && e.status === 503,
    );
    await assert.rejects(
      client.issueShortLived(creds),
      (e) => e instanceof LineApiError && e.status === 429 && e.retryAfterSec === 3,
    );
    await assert.rejects(
      client.issueShortLived(creds),
      // A proxy page is an error with its status, never a JSON parse crash (which class is the client's call).
      (e) =>
        (e instanceof LineApiError || e instanceof LineInvalidResponseError) && e.status === 502,
    );
    await assert.rejects(
      client.issueShortLived(creds),
      (e) => e instanceof LineInvalidResponseError && e.status === 200,
    );
    await assert.rejects(client.issueShortLived(creds), (e) => e instanceof LineNetworkError);
    assert.ok((await client.issueShortLived(creds)).accessToken);
  });

  test('the admin API is never faulted', async () => {
    await emu.admin.setFaults({
      global: { random: [{ probability: 1, fault: { type: 'reset' } }] },
    });
    const r = await raw(emu.url, { method: 'GET', path: '/__emulator/stats' });
    assert.equal(r.status, 200);
  });
});

// "lost-answer": the operation happens (LINE issues the token), then the answer is lost.
// The one case a client cannot tell from a failure, and the one that leaks v2.1 slots.
describe('the lost-answer fault', () => {
  let emu: Emulator;
  let clock: Awaited<ReturnType<typeof start>>['clock'];
  before(async () => {
    ({ emu, clock } = await start({ channels: [CH] }));
  });
  beforeEach(() => emu.admin.reset());
  after(() => emu.close());
  const live = async () => (await emu.admin.listTokens(CH.id)).length;

  test('by default drops the connection after the token was issued', async () => {
    await emu.admin.setFaults({
      operations: { issueShortLived: { sequence: [{ type: 'lost-answer' }] } },
    });
    assert.equal(await outcome(issue(emu)), 'reset');
    assert.equal(await live(), 1, 'LINE issued it all the same');
    assert.equal((await issue(emu)).status, 200, 'then requests pass');
    assert.equal(await live(), 2);
  });

  test('with a status answers that 5xx after issuing', async () => {
    await emu.admin.setFaults({
      operations: { issueShortLived: { sequence: [{ type: 'lost-answer', status: 503 }] } },
    });
    assert.equal((await issue(emu)).status, 503);
    assert.equal(await live(), 1);
  });

  test('with delayMs sends the real answer late; a client that stopped waiting lost the token', async () => {
    await emu.admin.setFaults({
      operations: {
        issueShortLived: {
          sequence: [
            { type: 'lost-answer', delayMs: 600_000 },
            { type: 'lost-answer', delayMs: 1 },
          ],
        },
      },
    });
    const client = new ChannelAccessTokenClient({ baseUrl: emu.url, retry: false, timeoutMs: 50 });
    await assert.rejects(
      client.issueShortLived({ channelId: CH.id, channelSecret: CH.secret }),
      (err: unknown) => err instanceof Error && err.name === 'LineTimeoutError',
    );
    assert.equal(await live(), 1, 'issued although the client never saw it');
    const patient = new ChannelAccessTokenClient({ baseUrl: emu.url, retry: false });
    const late = await patient.issueShortLived({ channelId: CH.id, channelSecret: CH.secret });
    assert.ok((await emu.admin.listTokens(CH.id)).some((t) => t.accessToken === late.accessToken));
  });

  test('is seeded like the other faults: the same seed loses the same answers', async () => {
    const config: FaultConfig = {
      seed: 9,
      operations: {
        verify: { random: [{ probability: 0.5, fault: { type: 'lost-answer', status: 500 } }] },
      },
    };
    const run = async () => {
      await emu.admin.setFaults(config);
      const seen: string[] = [];
      for (let i = 0; i < 12; i++) seen.push(await outcome(verify(emu)));
      return seen;
    };
    const first = await run();
    assert.ok(first.includes('500') && first.some((s) => s !== '500'), first.join());
    assert.deepEqual(await run(), first);
  });

  test('bad lost-answer settings are refused with the member at fault', async () => {
    for (const fault of [
      { type: 'lost-answer', status: 404 },
      { type: 'lost-answer', delayMs: -1 },
      { type: 'lost-answer', delayMs: 600_001 },
      { type: 'lost-answer', status: 500, delayMs: 5 },
    ]) {
      await assert.rejects(
        emu.admin.setFaults({ global: { sequence: [fault] } } as FaultConfig),
        /global\.sequence\[0\]/,
      );
    }
  });

  test('every answer carries a Date header from the emulator clock', async () => {
    clock.advance(86_400 * 3);
    await emu.admin.advanceClock(90);
    const res = await issue(emu);
    assert.equal(res.headers['date'], new Date(clock.now() + 90_000).toUTCString());
  });
});
