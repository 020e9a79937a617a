// diagnose() in-process against the emulator: one test per misconfiguration, each
// expecting exactly the right failed check with its cause, and every run proving with
// the emulator's stats that no check issued a v2.1 or short-lived token.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, beforeEach, describe, test } from 'node:test';
import { ChannelAccessTokenClient, signAssertion } from '../../src/index.js';
import { diagnose, type DiagnoseOptions, type Diagnosis } from '../../src/diagnose/index.js';
import {
  ecKeyPem,
  failed,
  finding,
  issueCounts,
  rsa1024Pem,
  startWorld,
  type World,
} from './helpers.js';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.emu.close();
});

/** The user's good configuration on channel a. */
function good(): DiagnoseOptions {
  return {
    channelId: world.a.id,
    kid: world.a.kid,
    privateKey: world.a.key.privateJwkText,
    channelSecret: world.a.secret,
    baseUrl: world.emu.url,
  };
}

/**
 * Runs diagnose() and checks what every run must hold: no v2.1 or short-lived token
 * issued, and no secret, private key or token anywhere in the answer.
 */
async function run(options: DiagnoseOptions): Promise<Diagnosis> {
  const before = await issueCounts(world.emu);
  const diagnosis = await diagnose(options);
  assert.deepEqual(await issueCounts(world.emu), before, 'a check issued a counted token');
  const text = JSON.stringify(diagnosis);
  for (const secret of [world.a.secret, world.b.secret, options.token]) {
    if (secret) assert.ok(!text.includes(secret), 'a secret or token leaked into the findings');
  }
  for (const key of [world.a.key, world.b.key, world.stray]) {
    const d = (JSON.parse(key.privateJwkText) as { d: string }).d;
    assert.ok(!text.includes(d), 'private key material leaked into the findings');
  }
  return diagnosis;
}

async function issueV21(tokenExpSec: number, channel = world.a) {
  const client = new ChannelAccessTokenClient({ baseUrl: world.emu.url });
  const assertion = await signAssertion({
    channelId: channel.id,
    kid: channel.kid,
    privateKey: channel.key.privateJwkText,
    tokenExpSec,
  });
  return client.issueV21({ assertion });
}

describe('diagnose()', () => {
  test('passes every check for a good configuration with a live token and a store', async () => {
    const token = await issueV21(86_400);
    const d = await run({ ...good(), token: token.accessToken, storedKeyIds: [token.keyId] });
    assert.deepEqual(
      d.findings.filter((f) => f.status !== 'pass').map((f) => `${f.id}: ${f.detail}`),
      [],
    );
    assert.equal(d.ok, true);
    assert.equal(d.unreachable, false);
    assert.deepEqual(
      d.findings.map((f) => f.id),
      ['key', 'key-kid', 'assertion', 'line', 'clock', 'kid', 'secret', 'slots', 'token'],
    );
    assert.deepEqual(finding(d, 'slots').data, { live: 1, limit: 30, accounted: 1 });
    assert.equal(finding(d, 'token').data?.['family'], 'v2.1');
    assert.match(finding(d, 'token').detail, /expires in 23 hours|expires in 1 day/);
  });

  test('unregistered kid: says so and gives the public JWK to paste, nothing else fails', async () => {
    const d = await run({ ...good(), kid: '0b4f3e1c-0000-4000-8000-000000000000' });
    assert.deepEqual(failed(d), ['kid']);
    const f = finding(d, 'kid');
    assert.equal(f.data?.['cause'], 'kid-not-registered');
    assert.match(f.detail, /not registered on any channel/);
    assert.match(f.fix ?? '', /register the key's public JWK/);
    assert.deepEqual(f.data?.['publicJwk'], world.a.key.publicJwk);
    assert.ok(f.fix?.includes(world.a.key.publicJwk.n), 'the fix carries the JWK to paste');
  });

  test('key not matching the kid: Invalid signature becomes "the private key does not match"', async () => {
    const d = await run({ ...good(), privateKey: world.stray.privateJwkText });
    assert.deepEqual(failed(d), ['kid']);
    const f = finding(d, 'kid');
    assert.equal(f.data?.['cause'], 'key-does-not-match-kid');
    assert.match(f.detail, /private key does not match kid/);
    assert.match(f.fix ?? '', /sign with the private key whose public half you registered/);
  });

  test('kid of another channel: the secret confirms the channel id, so the kid is the fault', async () => {
    const d = await run({ ...good(), kid: world.b.kid, privateKey: world.b.key.privateJwkText });
    assert.deepEqual(failed(d), ['kid']);
    const f = finding(d, 'kid');
    assert.equal(f.data?.['cause'], 'kid-of-another-channel');
    assert.match(
      f.detail,
      new RegExp(`registered on another channel, not on channel ${world.a.id}`),
    );
    assert.match(
      f.fix ?? '',
      new RegExp(`register this key's public JWK on channel ${world.a.id}`),
    );
  });

  test('wrong channel id: neither the key nor the secret belongs to it', async () => {
    const d = await run({ ...good(), channelId: '1999999999' });
    assert.deepEqual(failed(d), ['kid', 'secret']);
    for (const id of ['kid', 'secret']) {
      const f = finding(d, id);
      assert.equal(f.data?.['cause'], 'channel-id', id);
      assert.match(f.detail, /the channel id is most likely wrong/);
      assert.match(f.fix ?? '', /copy the Channel ID/);
    }
  });

  test('wrong secret (mistyped, cut short): says it does not look like a channel secret', async () => {
    const d = await run({ ...good(), channelSecret: world.a.secret.slice(0, -1) });
    assert.deepEqual(failed(d), ['secret']);
    const f = finding(d, 'secret');
    assert.equal(f.data?.['cause'], 'secret-malformed');
    assert.match(f.detail, /does not look like a channel secret/);
    assert.match(f.fix ?? '', new RegExp(`copy the Channel secret from channel ${world.a.id}`));
  });

  test('secret of another channel: the key confirms the channel id, so the secret is the fault', async () => {
    const d = await run({ ...good(), channelSecret: world.b.secret });
    assert.deepEqual(failed(d), ['secret']);
    const f = finding(d, 'secret');
    assert.equal(f.data?.['cause'], 'secret-of-another-channel');
    assert.match(f.detail, /another channel's secret/);
  });

  test('local clock 10 minutes ahead (injected): the clock check fails and says by how much', async () => {
    const d = await run({ ...good(), now: () => Date.now() + 600_000 });
    assert.deepEqual(failed(d), ['clock']);
    const f = finding(d, 'clock');
    const skew = f.data?.['skewMs'] as number;
    // The window of a Date header is 1 s plus the round trip: the skew proven is a bit less,
    // never more; the lower bound leaves a stalled machine a minute.
    assert.ok(skew > 540_000 && skew <= 600_000, `skew ${skew}`);
    assert.match(f.detail, /this clock is \d+ s ahead of LINE's/);
    assert.match(f.fix ?? '', /NTP/);
  });

  test('a clock 20 s ahead is a warning, not a failure', async () => {
    const d = await run({ ...good(), now: () => Date.now() + 20_000 });
    assert.equal(d.ok, true);
    assert.equal(finding(d, 'clock').status, 'warn');
    assert.match(
      finding(d, 'clock').detail,
      /this clock is (1\d|20) s ahead of LINE's: expiry times/,
    );
  });

  test('a clock 10 minutes behind also breaks every assertion, and says so', async () => {
    const d = await run({ ...good(), now: () => Date.now() - 600_000 });
    assert.match(finding(d, 'clock').detail, /behind LINE's: LINE refuses every assertion/);
    assert.match(finding(d, 'kid').detail, /clock is off/);
  });

  test('public key given as the private key: the key check fails, the rest is skipped', async () => {
    const d = await run({ ...good(), privateKey: JSON.stringify(world.a.key.publicJwk) });
    assert.deepEqual(failed(d), ['key']);
    const f = finding(d, 'key');
    assert.match(f.detail, /this is a public key/);
    assert.match(f.fix ?? '', /private half/);
    assert.equal(finding(d, 'kid').status, 'skip');
    assert.equal(finding(d, 'secret').status, 'pass');
  });

  test('EC key: refused as not RSA, with the keygen fix', async () => {
    const d = await run({ ...good(), privateKey: ecKeyPem() });
    assert.deepEqual(failed(d), ['key']);
    const f = finding(d, 'key');
    assert.match(f.detail, /this is an EC key; LINE assertion keys are RSA-2048/);
    assert.match(f.fix ?? '', /line-token keygen/);
    assert.equal(f.data?.['form'], 'PKCS#8 PEM');
  });

  test('1024-bit key: refused as too small', async () => {
    const d = await run({ ...good(), privateKey: rsa1024Pem() });
    assert.deepEqual(failed(d), ['key']);
    assert.match(finding(d, 'key').detail, /1024-bit RSA key; LINE needs 2048 bits/);
  });

  test('a kid inside the key file that differs from the configured one', async () => {
    const jwk = { ...JSON.parse(world.a.key.privateJwkText), kid: 'from-the-old-console' };
    const d = await run({ ...good(), privateKey: JSON.stringify(jwk) });
    assert.deepEqual(failed(d), ['key-kid']);
    assert.match(finding(d, 'key-kid').detail, /file says kid from-the-old-console/);
  });

  test('30 live tokens: the slots check fails and counts what the store accounts for', async () => {
    const issued = [];
    for (let i = 0; i < 30; i++) issued.push(await issueV21(3600));
    const d = await run({ ...good(), storedKeyIds: [issued[0]!.keyId, issued[1]!.keyId] });
    assert.deepEqual(failed(d), ['slots']);
    const f = finding(d, 'slots');
    assert.deepEqual(f.data, { live: 30, limit: 30, accounted: 2 });
    assert.match(
      f.detail,
      /30 of 30 live v2\.1 tokens; the store holds 2 of them \(28 no store here knows of\)/,
    );
    assert.match(f.fix ?? '', /revoke/);
  });

  test('5 live tokens: the slots check warns that several holders issue, and says to share a store', async () => {
    for (let i = 0; i < 5; i++) await issueV21(3600);
    const d = await run(good());
    const f = finding(d, 'slots');
    assert.equal(f.status, 'warn');
    assert.deepEqual(f.data, { live: 5, limit: 30 });
    assert.match(f.detail, /5 of 30 live v2\.1 tokens: more than one holder issues/);
    assert.match(f.fix ?? '', /give them one store .* or use stateless tokens/);
  });

  test("28 live tokens: the slots check fails at the manager's ceiling, before LINE's limit", async () => {
    for (let i = 0; i < 28; i++) await issueV21(3600);
    const d = await run(good());
    assert.deepEqual(failed(d), ['slots']);
    assert.match(finding(d, 'slots').detail, /28 of 30 .*a token manager issues no more at 28/);
  });

  test('an expired token: the token check fails with "expired"', async () => {
    const token = await issueV21(60);
    await world.emu.admin.advanceClock(120);
    // The emulator's Date header follows its virtual clock: this host's clock agrees with it.
    const d = await run({ ...good(), token: token.accessToken, now: () => Date.now() + 120_000 });
    assert.deepEqual(failed(d), ['token']);
    assert.equal(finding(d, 'token').data?.['cause'], 'expired');
    assert.match(finding(d, 'token').fix ?? '', /issue a new one/);
  });

  test('a revoked token: the token check fails with "revoked"', async () => {
    const token = await issueV21(3600);
    const client = new ChannelAccessTokenClient({ baseUrl: world.emu.url });
    await client.revokeV21({
      channelId: world.a.id,
      channelSecret: world.a.secret,
      accessToken: token.accessToken,
    });
    const d = await run({ ...good(), token: token.accessToken });
    assert.deepEqual(failed(d), ['token']);
    assert.equal(finding(d, 'token').data?.['cause'], 'revoked');
  });

  test('a token of another channel, and a stateless token, are told apart', async () => {
    const other = await issueV21(3600, world.b);
    const d = await run({ ...good(), token: other.accessToken });
    assert.deepEqual(failed(d), ['token']);
    assert.match(finding(d, 'token').detail, new RegExp(`belongs to channel ${world.b.id}`));
    const client = new ChannelAccessTokenClient({ baseUrl: world.emu.url });
    const stateless = await client.issueStateless({
      channelId: world.a.id,
      channelSecret: world.a.secret,
    });
    const s = await run({ ...good(), token: stateless.accessToken });
    assert.equal(finding(s, 'token').data?.['family'], 'stateless');
    assert.equal(s.ok, true);
  });

  test('an unreachable base URL: only the reachability check fails, LINE checks are skipped', async () => {
    const port = await closedPort();
    const d = await run({
      ...good(),
      token: 'eyJhbGciOiJIUzI1NiJ9.e30.x',
      baseUrl: `http://127.0.0.1:${port}`,
    });
    assert.equal(d.unreachable, true);
    assert.deepEqual(failed(d), ['line']);
    assert.match(finding(d, 'line').detail, /ECONNREFUSED/);
    for (const id of ['clock', 'kid', 'secret', 'slots', 'token']) {
      assert.equal(finding(d, id).status, 'skip', id);
    }
  });

  test('a key without a kid is still checked; the assertion checks are skipped', async () => {
    const d = await run({ ...good(), kid: undefined, privateKey: rsa1024Pem() });
    assert.deepEqual(failed(d), ['key']);
    assert.equal(finding(d, 'kid').status, 'skip');
    const ok = await run({ ...good(), kid: undefined });
    assert.equal(ok.ok, true);
    assert.equal(finding(ok, 'assertion').status, 'skip');
  });

  test('with only a channel id, still measures the clock against LINE', async () => {
    const d = await run({ channelId: world.a.id, baseUrl: world.emu.url });
    assert.equal(d.ok, true);
    assert.equal(finding(d, 'clock').status, 'pass');
    assert.equal(finding(d, 'key').status, 'skip');
  });
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

after(() => undefined);

describe('diagnose() options', () => {
  test('refuses a misspelt option with did-you-mean, before any request', async () => {
    let requests = 0;
    const options = {
      channelId: '1234567890',
      privatekey: '{"kty":"RSA"}',
      fetch: async () => {
        requests++;
        return new Response('{}');
      },
    } as unknown as DiagnoseOptions;
    await assert.rejects(diagnose(options), (error: Error) => {
      assert.equal(error.name, 'InvalidArgumentError');
      assert.match(error.message, /"privatekey"/);
      assert.match(error.message, /did you mean "privateKey"/);
      // The value may be a key: it is never quoted.
      assert.doesNotMatch(error.message, /kty/);
      return true;
    });
    assert.equal(requests, 0);
  });

  test('refuses options that are not an object', async () => {
    await assert.rejects(
      diagnose('1234567890' as unknown as DiagnoseOptions),
      /diagnose\(\) options must be an object/,
    );
  });
});
