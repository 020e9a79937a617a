// The runtime-neutral scenario: what a new user does with the built package, run unchanged
// by Node, Bun, Deno and workerd (see runtimes.test.ts). It uses only web-standard globals
// (fetch, crypto, TextEncoder), so any runtime that fails a step fails here and says which.
import {
  ChannelAccessTokenClient,
  TokenManager,
  createAssertionSigner,
  generateKeyPair,
  importPrivateKey,
  publicJwkForConsole,
  signAssertion,
  type PrivateKeyInput,
} from '../../dist/index.js';

/** What the harness hands every runtime: a fresh channel on the emulator and two PEM keys. */
export interface ScenarioConfig {
  /** The emulator's base URL (loopback). */
  baseUrl: string;
  channelId: string;
  channelSecret: string;
  /** An RSA-2048 private key as `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1). */
  pkcs1Pem: string;
  /** An RSA-2048 private key as `-----BEGIN PRIVATE KEY-----` (PKCS#8). */
  pkcs8Pem: string;
}

/** What the scenario proved, step by step; no token or key in it. */
export interface ScenarioReport {
  steps: string[];
  /**
   * What the package's `#transport` and `#signing` imports resolved to in this runtime
   * (`node:http`/`fetch`, `node:crypto`/`webcrypto`), read off the client and a key.
   */
  paths: { transport: unknown; signing: unknown };
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`scenario step failed: ${message}`);
}

/** Registers a public key the way the Console does, through the emulator's admin API. */
async function registerKey(config: ScenarioConfig, publicJwk: object): Promise<string> {
  const res = await fetch(
    `${config.baseUrl}/__emulator/channels/${encodeURIComponent(config.channelId)}/keys`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(publicJwk),
    },
  );
  check(res.status === 201, `the emulator registered the public key (HTTP ${res.status})`);
  const { kid } = (await res.json()) as { kid?: unknown };
  check(typeof kid === 'string' && kid !== '', 'the emulator answered a kid');
  return kid;
}

/** Issues, verifies and revokes one v2.1 token signed with `privateKey` under `kid`. */
async function roundTrip(
  config: ScenarioConfig,
  client: ChannelAccessTokenClient,
  kid: string,
  privateKey: PrivateKeyInput,
): Promise<string> {
  const { channelId, channelSecret } = config;
  const assertion = await signAssertion({ channelId, kid, privateKey, tokenExpSec: 3_600 });
  check(assertion.split('.').length === 3, 'signAssertion answers a compact JWS');
  const issued = await client.issueV21({ assertion });
  check(issued.accessToken.length > 0 && issued.keyId.length > 0, 'issueV21 answers a token');
  const verified = await client.verifyV21({ accessToken: issued.accessToken });
  check(verified.clientId === channelId, 'verifyV21 names the channel');
  check(
    verified.expiresIn > 3_500 && verified.expiresIn <= 3_600,
    'verifyV21 answers the lifetime asked for',
  );
  await client.revokeV21({ channelId, channelSecret, accessToken: issued.accessToken });
  return issued.keyId;
}

/** Runs every step; throws at the first that fails. */
export async function runScenario(config: ScenarioConfig): Promise<ScenarioReport> {
  const steps: string[] = [];
  const { channelId, channelSecret } = config;
  const client = new ChannelAccessTokenClient({ baseUrl: config.baseUrl });
  const paths = {
    transport: (client as unknown as Record<symbol, unknown>)[Symbol.for('line-token.transport')],
    signing: undefined as unknown,
  };

  const { privateJwk, publicJwk } = await generateKeyPair();
  check(publicJwk.kty === 'RSA' && publicJwk.alg === 'RS256', 'generateKeyPair: an RS256 key');
  steps.push('keygen');

  const kid = await registerKey(config, publicJwk);
  steps.push('register');

  const signer = createAssertionSigner({ channelId, kid, privateKey: privateJwk });
  const keyId = await roundTrip(config, client, kid, privateJwk);
  steps.push('sign', 'issue v2.1', 'verify');

  // The token revoked above leaves no live key id; issue one to list.
  const live = await client.issueV21({ assertion: await signer.sign({ tokenExpSec: 600 }) });
  const kids = await client.getValidKeyIds({ assertion: await signer.sign() });
  check(kids.includes(live.keyId), 'getValidKeyIds lists the live token');
  check(!kids.includes(keyId), 'getValidKeyIds leaves out the revoked token');
  await client.revokeV21({ channelId, channelSecret, accessToken: live.accessToken });
  steps.push('key ids');

  for (const [format, pem] of [
    ['PKCS#1', config.pkcs1Pem],
    ['PKCS#8', config.pkcs8Pem],
  ] as const) {
    const key = await importPrivateKey(pem);
    paths.signing = (key as unknown as Record<symbol, unknown>)[Symbol.for('line-token.signing')];
    check(key.modulusBits === 2048, `${format} PEM imports as a 2048-bit key`);
    const pemKid = await registerKey(config, await publicJwkForConsole(key));
    await roundTrip(config, client, pemKid, key);
    steps.push(`${format} PEM`);
  }

  const manager = new TokenManager({
    strategy: {
      type: 'v2.1',
      channelId,
      kid,
      privateKey: privateJwk,
      tokenExpSec: 3_600,
      channelSecret,
    },
    clientOptions: { baseUrl: config.baseUrl },
  });
  try {
    const [first, ...concurrent] = await Promise.all(
      Array.from({ length: 10 }, () => manager.getToken()),
    );
    const again = await manager.getToken();
    check(first !== undefined && first.length > 0, 'the manager serves a token');
    check(
      concurrent.every((t) => t === first) && again === first,
      'the manager serves the same token to concurrent and later callers',
    );
    const verified = await client.verifyV21({ accessToken: first });
    check(verified.clientId === channelId, 'the managed token verifies');
    steps.push('manager serves one token');
  } finally {
    await manager.close();
  }
  check(manager.status().closed, 'close() closes the manager');
  let refused = false;
  await manager.getToken().catch(() => {
    refused = true;
  });
  check(refused, 'a closed manager refuses getToken()');
  steps.push('close');
  return { steps, paths };
}

/** Every step the scenario reports when all pass, in order. */
export const SCENARIO_STEPS = [
  'keygen',
  'register',
  'sign',
  'issue v2.1',
  'verify',
  'key ids',
  'PKCS#1 PEM',
  'PKCS#8 PEM',
  'manager serves one token',
  'close',
] as const;
