// Live mode in this process, against the emulator: every token type, what is revoked on
// the way out, and the status line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatStatus, runLive } from '../../src/demo/live-mode.js';
import { styleFor } from '../../src/demo/timeline.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { TokenManagerStatus } from '../../src/manager/types.js';
import { assertNoTokens, makeKeyPair } from './helpers.js';

let emulator: Emulator;
before(async () => {
  emulator = await startEmulator();
});
after(() => emulator.close());

/** Runs live mode until its first status line, then stops it as a signal would. */
async function liveRun(env: Record<string, string>): Promise<{ out: string; warnings: string[] }> {
  const controller = new AbortController();
  const lines: string[] = [];
  const warnings: string[] = [];
  await runLive({
    env: { LINE_API_BASE_URL: emulator.url, ...env },
    write: (line) => {
      lines.push(line);
      if (/ status {5}/.test(line)) controller.abort();
    },
    warn: (line) => warnings.push(line),
    signal: controller.signal,
    style: styleFor(false, {}),
  });
  return { out: lines.join('\n'), warnings };
}

async function channelWithKey(): Promise<{ id: string; secret: string; kid: string; key: string }> {
  const channel = await emulator.admin.createChannel();
  const { privateJwkText, publicJwk } = makeKeyPair();
  const { kid } = await emulator.admin.registerKey(channel.id, publicJwk);
  return { ...channel, kid, key: privateJwkText };
}

describe('runLive', () => {
  test('short-lived: issued, then revoked on stop', async () => {
    const channel = await emulator.admin.createChannel();
    const { out } = await liveRun({
      LINE_CHANNEL_ID: channel.id,
      LINE_CHANNEL_SECRET: channel.secret,
      LINE_TOKEN_TYPE: 'short-lived',
    });
    assert.match(out, /keeping a short-lived token for channel/);
    assert.match(out, / issued {5}expires /);
    assert.match(out, / revoked {4}the current short-lived token, so none is left live/);
    assert.deepEqual(await emulator.admin.listTokens(channel.id), []);
    assertNoTokens(out, [channel.secret]);
  });

  test('stateless (the default with only a secret): cannot be revoked, says when it expires', async () => {
    const channel = await emulator.admin.createChannel();
    const { out } = await liveRun({
      LINE_CHANNEL_ID: channel.id,
      LINE_CHANNEL_SECRET: channel.secret,
    });
    assert.match(out, /keeping a stateless token/);
    assert.match(out, / note {7}the stateless token cannot be revoked; it expires at \S+Z/);
    assert.doesNotMatch(out, / revoked {4}/);
    assertNoTokens(out, [channel.secret]);
  });

  test('v2.1 with the JWK in the variable and a lifetime: revoked on stop', async () => {
    const c = await channelWithKey();
    const { out, warnings } = await liveRun({
      LINE_CHANNEL_ID: c.id,
      LINE_CHANNEL_SECRET: c.secret,
      LINE_ASSERTION_KID: c.kid,
      LINE_ASSERTION_PRIVATE_KEY: c.key,
      LINE_TOKEN_EXP_SEC: '3600',
    });
    assert.deepEqual(warnings, []);
    assert.match(
      out,
      /status {5}valid v2\.1 token \(key_id \S+…\), expires \S+ \(in 1h\), refresh due/,
    );
    assert.deepEqual(await emulator.admin.listTokens(c.id), []);
    assertNoTokens(out, [c.secret]);
  });

  test('v2.1 without the channel secret: the token stays live, and it says why', async () => {
    const c = await channelWithKey();
    const { out } = await liveRun({
      LINE_CHANNEL_ID: c.id,
      LINE_ASSERTION_KID: c.kid,
      LINE_ASSERTION_PRIVATE_KEY: c.key,
    });
    assert.match(
      out,
      / warning {4}v2\.1 tokens the manager replaces or leaves at close\(\) are not revoked because the strategy has no "channelSecret"/,
    );
    const live = await emulator.admin.listTokens(c.id);
    assert.equal(live.length, 1);
    assertNoTokens(out, [live[0]?.accessToken ?? '']);
  });

  test('stopped before starting: no token, nothing to revoke', async () => {
    const channel = await emulator.admin.createChannel();
    const issuesBefore = (await emulator.admin.stats()).requests['issueShortLived'] ?? 0;
    const controller = new AbortController();
    controller.abort();
    const lines: string[] = [];
    await runLive({
      env: {
        LINE_API_BASE_URL: emulator.url,
        LINE_CHANNEL_ID: channel.id,
        LINE_CHANNEL_SECRET: channel.secret,
        LINE_TOKEN_TYPE: 'short-lived',
      },
      write: (line) => lines.push(line),
      warn: () => {},
      signal: controller.signal,
      style: styleFor(false, {}),
    });
    assert.equal(lines.length, 3, lines.join('\n'));
    assert.match(lines[0] as string, /keeping a short-lived token/);
    assert.deepEqual(lines.slice(1), ['  stopping: closing the token manager', '  stopped']);
    assert.equal((await emulator.admin.stats()).requests['issueShortLived'] ?? 0, issuesBefore);
    assert.deepEqual(await emulator.admin.listTokens(channel.id), []);
  });
});

describe('formatStatus', () => {
  const status: TokenManagerStatus = {
    type: 'v2.1',
    channelId: '1234567890',
    hasToken: true,
    keyId: 'VRpk6ZGiabcdefghijklmn',
    issuedAt: 0,
    expiresAt: 86_400_000,
    refreshAt: 68_400_000,
    refreshing: false,
    nextAttemptAt: undefined,
    degraded: false,
    stopped: false,
    closed: false,
    lastError: undefined,
    counts: { issued: 2, adopted: 0, refreshes: 2, failures: 1, revocations: 1, invalidations: 0 },
  };

  test('expiry, refresh time and counts, with a fingerprint of the key id', () => {
    assert.equal(
      formatStatus(status, 0),
      'valid v2.1 token (key_id VRpk6ZGi…), expires 1970-01-02T00:00:00Z (in 1 day), ' +
        'refresh due 1970-01-01T19:00:00Z (in 19h); issued 2, revoked 1, failures 1',
    );
  });

  test('no token, flags and the last error', () => {
    const text = formatStatus(
      {
        ...status,
        hasToken: false,
        keyId: undefined,
        expiresAt: undefined,
        refreshAt: undefined,
        refreshing: true,
        degraded: true,
        lastError: { code: 'ERR_LINE_NETWORK', message: 'network error during issueV21', at: 0 },
      },
      0,
    );
    assert.equal(
      text,
      'no valid v2.1 token; issued 2, revoked 1, failures 1; refreshing, store degraded; ' +
        'last error: network error during issueV21',
    );
  });
});
