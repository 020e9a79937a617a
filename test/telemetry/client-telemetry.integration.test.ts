// The client's spans and metrics on their own (no manager), the options of
// openTelemetry(), the bounded attributes, the registry hook and the store wrapper.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { ChannelAccessTokenClient } from '../../src/client/client.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { InvalidArgumentError } from '../../src/errors.js';
import { TokenManager } from '../../src/manager/manager.js';
import { MemoryTokenStore } from '../../src/manager/memory-store.js';
import { TokenManagerRegistry } from '../../src/manager/registry.js';
import type { TokenStore } from '../../src/manager/store.js';
import { ATTR, METRIC, openTelemetry } from '../../src/telemetry/opentelemetry.js';
import type { Telemetry, TelemetrySource } from '../../src/telemetry/types.js';
import { assertNoSecret, histogram, points, startSdk, total } from './harness.js';

let emu: Emulator;
before(async () => {
  emu = await startEmulator({ rateLimit: false });
});
after(() => emu.close());

const sdkTelemetry = (
  options: { channelIdAttribute?: boolean } = {},
  temporality = AggregationTemporality.CUMULATIVE,
) => {
  const sdk = startSdk(temporality);
  const telemetry = openTelemetry({
    tracerProvider: sdk.tracerProvider,
    meterProvider: sdk.meterProvider,
    ...options,
  });
  return { sdk, telemetry };
};

test('client retries: one span per attempt, resend_count on the retries, the Retry-After wait recorded', async (t) => {
  const { sdk, telemetry } = sdkTelemetry();
  t.after(() => sdk.shutdown());
  const { id, secret } = await emu.admin.createChannel();
  const waits: number[] = [];
  const client = new ChannelAccessTokenClient({
    baseUrl: emu.url,
    telemetry,
    retry: { delay: async (ms) => void waits.push(ms) },
  });
  const { accessToken } = await client.issueStateless({ channelId: id, channelSecret: secret });
  await emu.admin.setFaults({
    operations: {
      verifyV21: {
        sequence: [
          { type: 'rate-limit', retryAfterSec: 3 },
          { type: 'status', status: 503 },
        ],
      },
    },
  });
  t.after(() => emu.admin.setFaults({}));
  // verifyV21 carries the token in its query string: the span must not.
  await assert.rejects(client.verifyV21({ accessToken }));

  const spans = sdk.spans().filter((s) => s.name === 'GET /oauth2/v2.1/verify');
  assert.deepEqual(
    spans.map((s) => [
      s.attributes['http.response.status_code'],
      s.attributes['http.request.resend_count'],
    ]),
    [
      [429, undefined],
      [503, 1],
      [400, 2],
    ],
    'three attempts; a stateless token is not a v2.1 token, so the last is a 400',
  );
  assert.ok(spans.every((s) => s.attributes['url.full'] === `${emu.url}/oauth2/v2.1/verify`));
  assert.ok(spans.every((s) => s.status.code === SpanStatusCode.ERROR));
  assert.equal(waits[0], 3000, 'the client waited what LINE asked');

  const metrics = await sdk.metrics();
  assert.equal(total(metrics, METRIC.rateLimited, { [ATTR.operation]: 'verifyV21' }), 1);
  assert.deepEqual(histogram(metrics, METRIC.retryAfter), { count: 1, sum: 3 });
  assert.equal(
    histogram(metrics, METRIC.requestDuration, { [ATTR.operation]: 'verifyV21' }).count,
    3,
  );
  assert.equal(
    total(metrics, METRIC.issues, { [ATTR.family]: 'stateless', [ATTR.outcome]: 'issued' }),
    1,
  );
  assert.equal(
    points(metrics, METRIC.issues, { [ATTR.family]: 'v2.1' }).length,
    0,
    'verify is no issue',
  );
  assertNoSecret(sdk.spans(), metrics, [accessToken, secret]);
});

test('channelIdAttribute: false: no channel id anywhere; the managers of a family share one series, the worst', async (t) => {
  const { sdk, telemetry } = sdkTelemetry(
    { channelIdAttribute: false },
    AggregationTemporality.DELTA,
  );
  t.after(() => sdk.shutdown());
  const managers: TokenManager[] = [];
  for (let i = 0; i < 2; i++) {
    const { id, secret } = await emu.admin.createChannel();
    const manager = new TokenManager({
      strategy: { type: 'stateless', channelId: id, channelSecret: secret },
      clientOptions: { baseUrl: emu.url },
      telemetry,
    });
    t.after(() => manager.close());
    await manager.getToken();
    managers.push(manager);
  }
  const metrics = await sdk.metrics();
  const [lifetime, ...others] = points(metrics, METRIC.remainingLifetime);
  assert.equal(others.length, 0, 'one series for the family');
  assert.deepEqual(lifetime!.attributes, { [ATTR.family]: 'stateless' });
  const soonest = Math.min(...managers.map((m) => m.status().expiresAt!));
  assert.ok((lifetime!.value as number) <= (soonest - Date.now()) / 1000 + 1, 'the shortest');
  const exported = JSON.stringify([sdk.spans().map((s) => s.attributes), metrics]);
  assert.ok(!exported.includes(ATTR.channelId));
  for (const m of managers) assert.ok(!exported.includes(m.status().channelId!));

  await managers[0]!.close();
  await managers[1]!.close();
  assert.equal(
    points(await sdk.metrics(), METRIC.remainingLifetime).length,
    0,
    'closed managers are no longer read',
  );
});

test('observeQueue: the registry hook is read at each collection, summed, and stops when told', async (t) => {
  const { sdk, telemetry } = sdkTelemetry({}, AggregationTemporality.DELTA);
  t.after(() => sdk.shutdown());
  const queue = ['1', '2', '3'];
  const stopFirst = telemetry.observeQueue(() => queue.length);
  const stopSecond = telemetry.observeQueue(() => 2);
  assert.equal(total(await sdk.metrics(), METRIC.registryQueue), 5);
  queue.pop();
  stopSecond();
  assert.equal(total(await sdk.metrics(), METRIC.registryQueue), 2);
  stopFirst();
  assert.equal(points(await sdk.metrics(), METRIC.registryQueue).length, 0);
});

test('the store wrapper keeps the store as it is: optional methods, results, failures', async (t) => {
  const { sdk, telemetry } = sdkTelemetry();
  t.after(() => sdk.shutdown());
  const plain: TokenStore = {
    get: () => Promise.resolve(undefined),
    set: () => Promise.reject(new Error('read-only')),
    delete: () => {
      throw new Error('thrown, not rejected');
    },
  };
  const wrapped = telemetry.store(plain);
  assert.equal('acquireLock' in wrapped, false);
  assert.equal(wrapped.acquireLock, undefined);
  assert.equal(await wrapped.get('k'), undefined);
  await assert.rejects(
    wrapped.set('k', { type: 'stateless', accessToken: 'x', expiresAt: 1, issuedAt: 0 }, 1),
    /read-only/,
  );
  assert.throws(() => wrapped.delete('k'), /thrown/);
  const memory = telemetry.store(new MemoryTokenStore());
  assert.ok(memory instanceof MemoryTokenStore);
  await memory.set(
    'k',
    {
      type: 'stateless',
      accessToken: 'secret-token-value',
      expiresAt: Date.now() + 60_000,
      issuedAt: 0,
    },
    60_000,
  );
  assert.equal(
    (await memory.get('k'))?.accessToken,
    'secret-token-value',
    'private fields still work',
  );
  const metrics = await sdk.metrics();
  assert.equal(
    total(metrics, METRIC.storeErrors, { [ATTR.store]: 'custom', [ATTR.storeOperation]: 'set' }),
    1,
  );
  assert.equal(
    total(metrics, METRIC.storeErrors, { [ATTR.store]: 'custom', [ATTR.storeOperation]: 'delete' }),
    1,
  );
  assert.equal(total(metrics, METRIC.storeErrors, { [ATTR.store]: 'MemoryTokenStore' }), 0);
});

test('options: unknown or invalid ones are refused, naming the option', () => {
  const refused = (fn: () => unknown, name: RegExp) =>
    assert.throws(fn, (e: unknown) => e instanceof InvalidArgumentError && name.test(e.message));
  refused(() => openTelemetry({ bogus: 1 } as never), /bogus/);
  refused(() => openTelemetry({ tracerProvider: {} as never }), /tracerProvider/);
  refused(() => openTelemetry({ meterProvider: 'x' as never }), /meterProvider/);
  refused(() => openTelemetry({ channelIdAttribute: 'no' as never }), /channelIdAttribute/);
  refused(() => new ChannelAccessTokenClient({ telemetry: {} as never }), /telemetry/);
  refused(
    () =>
      new TokenManager({
        strategy: { type: 'stateless', channelId: '1', channelSecret: 's' },
        telemetry: { request: () => undefined } as never,
      }),
    /telemetry/,
  );
});

test('a Telemetry of your own: sees each attempt and each refresh, never a token', async (t) => {
  const requests: unknown[] = [];
  const sources: TelemetrySource[] = [];
  const telemetry: Telemetry = {
    request: (request, send) => (requests.push(request), send()),
    refresh: (source, run) => (sources.push(source), run()),
    store: (store) => store,
    observeQueue: () => () => {},
  };
  const { id, secret } = await emu.admin.createChannel();
  const manager = new TokenManager({
    strategy: { type: 'stateless', channelId: id, channelSecret: secret },
    clientOptions: { baseUrl: emu.url },
    telemetry,
  });
  t.after(() => manager.close());
  const token = await manager.getToken();
  assert.deepEqual(requests, [
    {
      operation: 'issueStateless',
      method: 'POST',
      path: '/oauth2/v3/token',
      url: `${emu.url}/oauth2/v3/token`,
      resendCount: 0,
    },
  ]);
  assert.equal(sources.length, 1);
  assert.equal(sources[0]!.family, 'stateless');
  assert.equal(sources[0]!.status().hasToken, true);
  assert.ok(!JSON.stringify([requests, sources[0]!.status()]).includes(token));
  assert.ok(!JSON.stringify(requests).includes(secret));
});

test('a registry passes the telemetry of its defaults to every manager it builds', async (t) => {
  const { sdk, telemetry } = sdkTelemetry();
  t.after(() => sdk.shutdown());
  const registry = new TokenManagerRegistry({ defaults: { telemetry } });
  t.after(() => registry.close());
  const channels = [await emu.admin.createChannel(), await emu.admin.createChannel()];
  for (const { id, secret } of channels) {
    const manager = registry.register(id, {
      strategy: { type: 'stateless', channelId: id, channelSecret: secret },
      clientOptions: { baseUrl: emu.url },
    });
    await manager.getToken();
  }
  const refreshed = sdk.spans().filter((s) => s.name === 'line_token.refresh');
  assert.deepEqual(
    refreshed.map((s) => s.attributes[ATTR.channelId]).sort(),
    channels.map((c) => c.id).sort(),
  );
  assert.equal(points(await sdk.metrics(), METRIC.remainingLifetime).length, 2);
});

test("a registry reports its issue queue's length through its defaults' telemetry, until closed", async () => {
  const readers: Array<() => number> = [];
  let stopped = 0;
  const telemetry: Telemetry = {
    request: (_request, send) => send(),
    refresh: (_source, run) => run(),
    store: (store) => store,
    observeQueue: (read) => {
      readers.push(read);
      return () => stopped++;
    },
  };
  const registry = new TokenManagerRegistry({ defaults: { telemetry } });
  assert.equal(readers.length, 1, 'one gauge callback for the registry');
  assert.equal(readers[0]!(), registry.queueLength);
  await registry.close();
  assert.equal(stopped, 1);
});
