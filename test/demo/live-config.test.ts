import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  chooseTokenType,
  isLiveMode,
  LIVE_DEFAULT_TOKEN_EXP_SEC,
  readLiveConfig,
} from '../../src/demo/live-config.js';
import { InvalidArgumentError, InvalidKeyError } from '../../src/errors.js';
import { suiteScope, tempDirFor } from '../fixtures.js';

// Key material from plain node:crypto, independent of our key code.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWK_TEXT = JSON.stringify({ ...privateKey.export({ format: 'jwk' }), alg: 'RS256' });
const PEM = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const SECRET = '0123456789abcdef0123456789abcdef';
const KID = '3644a20d-1111-4222-8333-444455556666';
const base = { LINE_CHANNEL_ID: '1234567890' };
const noWarn = (line: string): void => assert.fail(`unexpected warning: ${line}`);

// The key files' folders, removed after the file's last test.
const suite = suiteScope();

async function keyFile(mode: number, text = JWK_TEXT): Promise<string> {
  const dir = tempDirFor(suite, 'line-token-demo-');
  const path = join(dir, 'key.json');
  await writeFile(path, text, { mode });
  return path;
}

/** Rejects with `type`, and its message names `variable` and holds no secret or key. */
async function refused(
  env: Record<string, string>,
  type: typeof InvalidArgumentError | typeof InvalidKeyError,
  variable: RegExp,
): Promise<void> {
  await assert.rejects(readLiveConfig(env, noWarn), (err: unknown) => {
    assert.ok(err instanceof type, String(err));
    assert.match(err.message, variable);
    assert.ok(!err.message.includes(SECRET));
    assert.ok(!err.message.includes('"d"'));
    return true;
  });
}

describe('isLiveMode', () => {
  test('only when LINE_CHANNEL_ID holds something', () => {
    assert.equal(isLiveMode({}), false);
    assert.equal(isLiveMode({ LINE_CHANNEL_ID: '  ' }), false);
    assert.equal(isLiveMode({ LINE_CHANNEL_SECRET: SECRET }), false);
    assert.equal(isLiveMode(base), true);
  });
});

describe('chooseTokenType', () => {
  test('LINE_TOKEN_TYPE wins', () => {
    assert.equal(
      chooseTokenType({ LINE_TOKEN_TYPE: 'short-lived', LINE_ASSERTION_KID: KID }),
      'short-lived',
    );
  });
  test('v2.1 with a key, stateless with only a secret', () => {
    const key = { LINE_ASSERTION_KID: KID, LINE_ASSERTION_PRIVATE_KEY: '/k.json' };
    assert.equal(chooseTokenType({ ...key, LINE_CHANNEL_SECRET: SECRET }), 'v2.1');
    assert.equal(chooseTokenType({ LINE_CHANNEL_SECRET: SECRET }), 'stateless');
    // Half a key is no key.
    assert.equal(
      chooseTokenType({ LINE_ASSERTION_KID: KID, LINE_CHANNEL_SECRET: SECRET }),
      'stateless',
    );
  });
  test('no credentials: says what to set, and how to get the demo instead', () => {
    assert.throws(
      () => chooseTokenType(base),
      (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError);
        assert.match(err.message, /LINE_ASSERTION_KID and LINE_ASSERTION_PRIVATE_KEY/);
        assert.match(err.message, /LINE_CHANNEL_SECRET/);
        assert.match(err.message, /unset LINE_CHANNEL_ID/);
        return true;
      },
    );
  });
  test('an unknown type is quoted only when it is a short word', () => {
    assert.throws(() => chooseTokenType({ LINE_TOKEN_TYPE: 'v3' }), /got "v3"/);
    assert.throws(
      () => chooseTokenType({ LINE_TOKEN_TYPE: SECRET }),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        /got something else/.test(err.message) &&
        !err.message.includes(SECRET),
    );
  });
});

describe('readLiveConfig', () => {
  test('v2.1 from the JWK in the variable itself, 30-day tokens unless told', async () => {
    const config = await readLiveConfig(
      {
        ...base,
        LINE_ASSERTION_KID: KID,
        LINE_ASSERTION_PRIVATE_KEY: JWK_TEXT,
        LINE_CHANNEL_SECRET: SECRET,
      },
      noWarn,
    );
    assert.equal(config.strategy.type, 'v2.1');
    assert.equal(config.baseUrl, undefined);
    assert.equal(config.channelSecret, SECRET);
    if (config.strategy.type !== 'v2.1') return;
    assert.equal(config.strategy.channelId, '1234567890');
    assert.equal(config.strategy.kid, KID);
    assert.equal(config.strategy.tokenExpSec, LIVE_DEFAULT_TOKEN_EXP_SEC);
    assert.equal(LIVE_DEFAULT_TOKEN_EXP_SEC, 86_400, '1 day, as the library and the CLI');
    assert.equal(config.strategy.channelSecret, SECRET);
    // Imported once, up front.
    assert.equal((config.strategy.privateKey as { modulusBits: number }).modulusBits, 2048);
  });

  test('v2.1 from a 0600 key file, a PEM, LINE_TOKEN_EXP_SEC and LINE_API_BASE_URL', async () => {
    const path = await keyFile(0o600, PEM);
    const config = await readLiveConfig(
      {
        ...base,
        LINE_ASSERTION_KID: KID,
        LINE_ASSERTION_PRIVATE_KEY: path,
        LINE_TOKEN_EXP_SEC: '3600',
        LINE_API_BASE_URL: 'http://127.0.0.1:9',
      },
      noWarn,
    );
    assert.equal(config.baseUrl, 'http://127.0.0.1:9');
    assert.equal(config.channelSecret, undefined);
    assert.ok(config.strategy.type === 'v2.1' && config.strategy.tokenExpSec === 3600);
    assert.ok(config.strategy.type === 'v2.1' && !('channelSecret' in config.strategy));
  });

  test('a key file others can read gets one warning with the fix, not the key', async () => {
    const path = await keyFile(0o644);
    const warnings: string[] = [];
    await readLiveConfig(
      { ...base, LINE_ASSERTION_KID: KID, LINE_ASSERTION_PRIVATE_KEY: path },
      (line) => warnings.push(line),
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /chmod 600/);
    assert.ok(!(warnings[0] as string).includes('"d"'));
  });

  test('stateless by secret, by key, and short-lived', async () => {
    const bySecret = await readLiveConfig({ ...base, LINE_CHANNEL_SECRET: SECRET }, noWarn);
    assert.deepEqual(bySecret.strategy, {
      type: 'stateless',
      channelId: '1234567890',
      channelSecret: SECRET,
    });
    const byKey = await readLiveConfig(
      {
        ...base,
        LINE_TOKEN_TYPE: 'stateless',
        LINE_ASSERTION_KID: KID,
        LINE_ASSERTION_PRIVATE_KEY: JWK_TEXT,
      },
      noWarn,
    );
    assert.ok(byKey.strategy.type === 'stateless' && 'kid' in byKey.strategy);
    const shortLived = await readLiveConfig(
      { ...base, LINE_TOKEN_TYPE: 'short-lived', LINE_CHANNEL_SECRET: SECRET },
      noWarn,
    );
    assert.deepEqual(shortLived.strategy, {
      type: 'short-lived',
      channelId: '1234567890',
      channelSecret: SECRET,
    });
  });

  test('refuses what cannot work, naming the variable and never a value', async () => {
    const key = { LINE_ASSERTION_KID: KID, LINE_ASSERTION_PRIVATE_KEY: JWK_TEXT };
    await refused(
      { LINE_CHANNEL_ID: 'my-channel', LINE_CHANNEL_SECRET: SECRET },
      InvalidArgumentError,
      /LINE_CHANNEL_ID must be the channel ID, digits only/,
    );
    await refused(
      { ...base, LINE_TOKEN_TYPE: 'v2.1', LINE_CHANNEL_SECRET: SECRET },
      InvalidArgumentError,
      /v2\.1 tokens need .*LINE_ASSERTION_KID is not set/,
    );
    await refused(
      { ...base, LINE_TOKEN_TYPE: 'v2.1', LINE_ASSERTION_KID: KID },
      InvalidArgumentError,
      /LINE_ASSERTION_PRIVATE_KEY is not set/,
    );
    await refused(
      { ...base, LINE_TOKEN_TYPE: 'short-lived', ...key },
      InvalidArgumentError,
      /short-lived tokens need LINE_CHANNEL_SECRET/,
    );
    for (const bad of ['0', '2592001', '1e3', '3600.5', 'day']) {
      await refused(
        { ...base, ...key, LINE_TOKEN_EXP_SEC: bad },
        InvalidArgumentError,
        /LINE_TOKEN_EXP_SEC must be a whole number of seconds from 1 to 2592000/,
      );
    }
    await refused(
      { ...base, LINE_CHANNEL_SECRET: SECRET, LINE_TOKEN_EXP_SEC: '60' },
      InvalidArgumentError,
      /applies to v2\.1 tokens only/,
    );
    await refused(
      {
        ...base,
        LINE_ASSERTION_KID: KID,
        LINE_ASSERTION_PRIVATE_KEY: '/no/such/key.json',
        LINE_CHANNEL_SECRET: SECRET,
      },
      InvalidArgumentError,
      /LINE_ASSERTION_PRIVATE_KEY: cannot read private key file .*ENOENT/,
    );
  });

  test('an unusable key is a key error before anything is sent', async () => {
    const half = JSON.stringify({ kty: 'RSA', n: 'abc', e: 'AQAB', d: 'SECRETPART' });
    await assert.rejects(
      readLiveConfig(
        { ...base, LINE_ASSERTION_KID: KID, LINE_ASSERTION_PRIVATE_KEY: half },
        noWarn,
      ),
      (err: unknown) => err instanceof InvalidKeyError && !err.message.includes('SECRETPART'),
    );
  });
});

describe('readLiveConfig reads the key as the CLI does (line-token/env)', () => {
  test('quoted and base64 keys work in live mode too', async () => {
    for (const text of [
      `"${JWK_TEXT}"`,
      `'${PEM}'`,
      Buffer.from(JWK_TEXT).toString('base64'),
      Buffer.from(PEM).toString('base64'),
    ]) {
      const config = await readLiveConfig(
        { ...base, LINE_ASSERTION_KID: KID, LINE_ASSERTION_PRIVATE_KEY: text },
        noWarn,
      );
      assert.equal(config.strategy.type, 'v2.1');
      assert.ok('kid' in config.strategy && config.strategy.kid === KID);
    }
  });
});
