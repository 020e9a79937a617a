// Spans and metrics of a token manager against the emulator, exported by the
// OpenTelemetry SDK in memory: a normal rotation, a refused assertion, a 429 with
// Retry-After, an ambiguous timeout, a store outage. Every test ends with a scan of all
// that was exported for the tokens, secrets and assertions the run handled.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { generateKeyPair } from '../../src/assertion/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import { TokenManager } from '../../src/manager/manager.js';
import type { TokenManagerOptions } from '../../src/manager/options.js';
import { ATTR, METRIC, REFRESH_SPAN, openTelemetry } from '../../src/telemetry/opentelemetry.js';
import { assertNoSecret, histogram, points, startSdk, total, type Sdk } from './harness.js';

let emu: Emulator;
let sdk: Sdk;
let secrets: Set<string>;
let keyPair: Awaited<ReturnType<typeof generateKeyPair>>;

before(async () => {
  emu = await startEmulator({ rateLimit: false });
  keyPair = await generateKeyPair();
});
after(() => emu.close());
beforeEach(async () => {
  await emu.admin.setFaults({});
  sdk = startSdk();
  secrets = new Set();
});
// Every test's exports are scanned: no token, secret, assertion or key in any of them.
afterEach(async () => {
  assertNoSecret(sdk.spans(), await sdk.metrics(), secrets);
  await sdk.shutdown();
});

/** A fetch that remembers every credential the client sent (form bodies and queries). */
const recordingFetch: typeof fetch = async (input, init) => {
  const url = new URL(String(input));
  const fields = new URLSearchParams(typeof init?.body === 'string' ? init.body : url.search);
  for (const name of ['client_assertion', 'client_secret', 'access_token']) {
    const value = fields.get(name);
    if (value !== null) secrets.add(value);
  }
  return fetch(input, init);
};

/** A v2.1 manager on a new channel, reporting to the in-memory SDK. */
async function v21Manager(
  { clientOptions, ...options }: Partial<TokenManagerOptions> = {},
  registerKey = true,
): Promise<{ manager: TokenManager; channelId: string }> {
  const { id: channelId, secret } = await emu.admin.createChannel();
  secrets.add(secret);
  secrets.add(JSON.stringify((keyPair.privateJwk as { d: string }).d));
  const kid = registerKey
    ? (await emu.admin.registerKey(channelId, keyPair.publicJwk)).kid
    : 'a-key-the-channel-does-not-know';
  const manager = new TokenManager({
    strategy: {
      type: 'v2.1',
      channelId,
      kid,
      privateKey: keyPair.privateJwk,
      tokenExpSec: 7200,
      channelSecret: secret,
    },
    clientOptions: { baseUrl: emu.url, fetch: recordingFetch, ...clientOptions },
    telemetry: openTelemetry({
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
    }),
    onTokenIssued: (e) => secrets.add(e.accessToken),
    revoke: { graceMs: 0 },
    ...options,
  });
  return { manager, channelId };
}

const byName = (name: string) => sdk.spans().filter((s) => s.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

test("a normal rotation: refresh spans parent the calls to LINE, under the caller's span", async (t) => {
  const { manager, channelId } = await v21Manager();
  t.after(() => manager.close());
  const caller = sdk.tracerProvider.getTracer('the-bot');
  const first = await caller.startActiveSpan('handle webhook', async (span) => {
    try {
      return await manager.getToken();
    } finally {
      span.end();
    }
  });
  // A forced rotation (no 401 to judge with LINE's verify).
  await manager.invalidate(first, { verify: false });
  await manager.idle();

  const [handler] = byName('handle webhook');
  const refreshes = byName(REFRESH_SPAN);
  assert.equal(refreshes.length, 2, 'one span per refresh cycle');
  assert.equal(
    parentOf(refreshes[0]!),
    handler!.spanContext().spanId,
    "the caller's span is the parent",
  );
  for (const r of refreshes) {
    assert.equal(r.attributes[ATTR.family], 'v2.1');
    assert.equal(r.attributes[ATTR.channelId], channelId);
    assert.equal(r.attributes[ATTR.outcome], 'success');
    assert.equal(r.attributes[ATTR.retries], 0);
    assert.equal(r.status.code, SpanStatusCode.UNSET);
  }
  const issues = byName('POST /oauth2/v2.1/token');
  assert.equal(issues.length, 2);
  for (const [i, span] of issues.entries()) {
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(
      parentOf(span),
      refreshes[i]!.spanContext().spanId,
      'the issue is a child of its refresh',
    );
    assert.equal(span.attributes['http.request.method'], 'POST');
    assert.equal(span.attributes['server.address'], '127.0.0.1');
    assert.equal(span.attributes['server.port'], Number(new URL(emu.url).port));
    assert.equal(span.attributes['url.full'], `${emu.url}/oauth2/v2.1/token`);
    assert.equal(span.attributes['http.response.status_code'], 200);
    assert.equal(span.attributes['error.type'], undefined);
    const requestId = span.attributes[ATTR.requestId] as string[];
    assert.match(requestId[0]!, /^[0-9a-f-]{8,}$/, "LINE's x-line-request-id");
  }
  assert.ok(
    byName('POST /oauth2/v2.1/revoke').length >= 1,
    'the superseded token was revoked, traced',
  );

  const metrics = await sdk.metrics();
  assert.equal(
    total(metrics, METRIC.issues, { [ATTR.family]: 'v2.1', [ATTR.outcome]: 'issued' }),
    2,
  );
  assert.equal(histogram(metrics, METRIC.refreshDuration, { [ATTR.outcome]: 'success' }).count, 2);
  const [lifetime] = points(metrics, METRIC.remainingLifetime, { [ATTR.channelId]: channelId });
  assert.ok(
    (lifetime!.value as number) > 7000 && (lifetime!.value as number) <= 7200,
    'about two hours left',
  );
  assert.equal(total(metrics, METRIC.refreshFailing, { [ATTR.channelId]: channelId }), 0);
  assert.equal(total(metrics, METRIC.unaccountedTokens, { [ATTR.channelId]: channelId }), 0);
  assert.ok(total(metrics, METRIC.liveTokens, { [ATTR.channelId]: channelId }) >= 1);
  assert.ok(
    histogram(metrics, METRIC.requestDuration, { [ATTR.operation]: 'issueV21' }).count === 2,
  );
});

test('a refused assertion: a 400 span with error.type, a failed refresh, a refused issue', async (t) => {
  const { manager } = await v21Manager(
    { tokenLimit: { check: false }, retry: { limit: 0 } },
    false,
  );
  t.after(() => manager.close());
  await assert.rejects(manager.getToken());
  const [issue] = byName('POST /oauth2/v2.1/token');
  const status = issue!.attributes['http.response.status_code'] as number;
  assert.ok(status >= 400 && status < 500, 'LINE refused the assertion');
  assert.equal(issue!.attributes['error.type'], String(status));
  assert.equal(issue!.status.code, SpanStatusCode.ERROR);
  const [refresh] = byName(REFRESH_SPAN);
  assert.equal(refresh!.attributes[ATTR.outcome], 'failure');
  assert.equal(refresh!.attributes['error.type'], 'ERR_LINE_API');
  assert.equal(refresh!.status.code, SpanStatusCode.ERROR);
  const metrics = await sdk.metrics();
  assert.equal(total(metrics, METRIC.issues, { [ATTR.outcome]: 'refused' }), 1);
  assert.equal(total(metrics, METRIC.issues, { [ATTR.outcome]: 'issued' }), 0);
  assert.equal(total(metrics, METRIC.refreshFailing), 1, 'the manager is backing off');
});

test('a 429 with Retry-After: counted, the wait LINE asked for recorded', async (t) => {
  const { manager } = await v21Manager({ retry: { limit: 0 } });
  t.after(() => manager.close());
  await emu.admin.setFaults({
    operations: { issueV21: { sequence: [{ type: 'rate-limit', retryAfterSec: 7 }] } },
  });
  await assert.rejects(manager.getToken());
  const [issue] = byName('POST /oauth2/v2.1/token');
  assert.equal(issue!.attributes['http.response.status_code'], 429);
  assert.equal(issue!.attributes['error.type'], '429');
  const metrics = await sdk.metrics();
  assert.equal(total(metrics, METRIC.rateLimited, { [ATTR.operation]: 'issueV21' }), 1);
  assert.deepEqual(histogram(metrics, METRIC.retryAfter, { [ATTR.operation]: 'issueV21' }), {
    count: 1,
    sum: 7,
  });
  assert.equal(total(metrics, METRIC.issues, { [ATTR.outcome]: 'rate_limited' }), 1);
});

test('an ambiguous timeout: error.type says timeout, the issue counts as ambiguous', async (t) => {
  const { manager } = await v21Manager({
    retry: { limit: 0 },
    clientOptions: { timeoutMs: 200 },
  });
  t.after(() => manager.close());
  await emu.admin.setFaults({
    operations: { issueV21: { sequence: [{ type: 'lost-answer', delayMs: 3_000 }] } },
  });
  await assert.rejects(manager.getToken());
  const [issue] = byName('POST /oauth2/v2.1/token');
  assert.equal(issue!.attributes['error.type'], 'ERR_LINE_TIMEOUT');
  assert.equal(issue!.attributes['http.response.status_code'], undefined, 'no answer arrived');
  const [refresh] = byName(REFRESH_SPAN);
  assert.equal(refresh!.attributes[ATTR.outcome], 'failure');
  const metrics = await sdk.metrics();
  assert.equal(total(metrics, METRIC.issues, { [ATTR.outcome]: 'ambiguous' }), 1);
  assert.equal(total(metrics, METRIC.remainingLifetime), 0, 'no token, no lifetime point');
});

class OutageStore extends MemoryTokenStore {
  down = true;
  override get(key: string) {
    if (this.down) return Promise.reject(new Error('store unreachable'));
    return super.get(key);
  }
  override set(key: string, token: Parameters<MemoryTokenStore['set']>[1], ttlMs: number) {
    if (this.down) return Promise.reject(new Error('store unreachable'));
    return super.set(key, token, ttlMs);
  }
}

test('a store outage: failed store calls counted by store and method; the refresh still succeeds', async (t) => {
  const store = new OutageStore();
  const { manager } = await v21Manager({ store });
  t.after(() => manager.close());
  await manager.getToken();
  const metrics = await sdk.metrics();
  assert.ok(
    total(metrics, METRIC.storeErrors, {
      [ATTR.store]: 'OutageStore',
      [ATTR.storeOperation]: 'get',
    }) >= 1,
  );
  assert.equal(total(metrics, METRIC.storeErrors, { [ATTR.store]: 'MemoryTokenStore' }), 0);
  const [refresh] = byName(REFRESH_SPAN);
  assert.equal(
    refresh!.attributes[ATTR.outcome],
    'success',
    'degraded, the manager issued on its own',
  );
});
