// line-token/env: the LINE_* variables read as the CLI reads them, into a manager strategy.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  apiBaseUrlFromEnv,
  inlineKeyText,
  LINE_ENV,
  looksLikeKeyMaterial,
  strategyFromEnv,
} from '../../src/env/index.js';
import { InvalidArgumentError, InvalidKeyError } from '../../src/errors.js';
import { TokenManager } from '../../src/index.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { defer, suiteScope, tempDirFor } from '../fixtures.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const JWK_TEXT = JSON.stringify(privateKey.export({ format: 'jwk' }));
const PEM = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const CHANNEL = '1573163733';
const SECRET = '0123456789abcdef0123456789abcdef';
const noWarn = (message: string): void => assert.fail(`unexpected warning: ${message}`);

const dir = tempDirFor(suiteScope(), 'line-token-env-');
let emu: Emulator;
let kid: string;

before(async () => {
  emu = await startEmulator({ channels: [{ id: CHANNEL, secret: SECRET }] });
  const jwk = publicKey.export({ format: 'jwk' });
  kid = (
    await emu.admin.registerKey(CHANNEL, {
      kty: 'RSA',
      n: jwk.n,
      e: jwk.e,
      alg: 'RS256',
      use: 'sig',
    })
  ).kid;
});

after(async () => {
  await emu.close();
});

describe('inlineKeyText', () => {
  test('accepts the key text, in one pair of quotes, in base64, and a PEM with literal \\n', () => {
    assert.equal(inlineKeyText(JWK_TEXT), JWK_TEXT);
    assert.equal(inlineKeyText(`"${JWK_TEXT}"`), JWK_TEXT);
    assert.equal(inlineKeyText(`'${PEM.trim()}'`), PEM.trim());
    assert.equal(inlineKeyText(Buffer.from(PEM).toString('base64')), PEM.trim());
    assert.equal(inlineKeyText(PEM.trim().replace(/\n/g, '\\n')), PEM.trim());
  });
  test('says a path is no key, and tells key material from a path', () => {
    assert.equal(inlineKeyText('/etc/line/key.json'), undefined);
    assert.equal(looksLikeKeyMaterial('/etc/line/key.json'), false);
    assert.equal(looksLikeKeyMaterial(`'{"kty":"RSA","d":"abc`), true);
    assert.equal(looksLikeKeyMaterial(Buffer.from(JWK_TEXT).toString('base64')), true);
  });
});

describe('strategyFromEnv', () => {
  test('v2.1 from a key file path, usable by a TokenManager against the emulator', async (t) => {
    const path = join(dir, 'key.json');
    await writeFile(path, JWK_TEXT);
    await chmod(path, 0o600);
    const env = {
      [LINE_ENV.channelId]: CHANNEL,
      [LINE_ENV.kid]: kid,
      [LINE_ENV.privateKey]: path,
      [LINE_ENV.channelSecret]: SECRET,
      [LINE_ENV.baseUrl]: `${emu.url}/`,
    };
    const strategy = await strategyFromEnv({ env, tokenExpSec: 3_600, onWarning: noWarn });
    assert.equal(strategy.type, 'v2.1');
    const baseUrl = apiBaseUrlFromEnv(env);
    assert.equal(baseUrl, emu.url);
    const manager = new TokenManager({ strategy, clientOptions: { baseUrl: baseUrl ?? '' } });
    defer(t, () => manager.close());
    assert.match(await manager.getToken(), /^eyJ/);
  });

  test('chooses stateless by secret without a key, and short-lived when asked', async () => {
    const env = { LINE_CHANNEL_ID: CHANNEL, LINE_CHANNEL_SECRET: SECRET };
    assert.deepEqual(await strategyFromEnv({ env }), {
      type: 'stateless',
      channelId: CHANNEL,
      channelSecret: SECRET,
    });
    assert.equal((await strategyFromEnv({ env, type: 'short-lived' })).type, 'short-lived');
  });

  test('names the variable at fault and never shows the key', async () => {
    await assert.rejects(strategyFromEnv({ env: {} }), (err: unknown) => {
      assert.ok(err instanceof InvalidArgumentError);
      assert.match(err.message, /no credentials in the environment: set LINE_ASSERTION_KID/);
      return true;
    });
    const broken = `"${JWK_TEXT.slice(0, 200)}`;
    await assert.rejects(
      strategyFromEnv({
        env: {
          LINE_CHANNEL_ID: CHANNEL,
          LINE_ASSERTION_KID: 'k',
          LINE_ASSERTION_PRIVATE_KEY: broken,
        },
      }),
      (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError || err instanceof InvalidKeyError);
        assert.match(err.message, /LINE_ASSERTION_PRIVATE_KEY/);
        assert.ok(!err.message.includes(JWK_TEXT.slice(20, 60)));
        return true;
      },
    );
    assert.throws(
      () => apiBaseUrlFromEnv({ LINE_API_BASE_URL: 'ftp://x' }),
      /LINE_API_BASE_URL must be an http\(s\) URL/,
    );
  });
});

describe('strategyFromEnv options', () => {
  const env = { LINE_CHANNEL_ID: '1234567890', LINE_CHANNEL_SECRET: 'env-options-secret' };
  const rows: Array<[string, unknown, string, string]> = [
    [
      'a misspelt option',
      { env, tokenExpSecs: 3600 },
      'tokenExpSecs',
      '"tokenExpSecs" is not a strategyFromEnv option; did you mean "tokenExpSec"?',
    ],
    [
      'an unknown token type',
      { env, type: 'v3' },
      'type',
      '"type" option must be one of "v2.1", "stateless", "short-lived" (got a string)',
    ],
    [
      'a token lifetime typed as text',
      { env, type: 'v2.1', tokenExpSec: '86400' },
      'tokenExpSec',
      `"tokenExpSec" option must be an integer number of seconds from 1 to 2592000 (30 days, LINE's limit) (got the string "86400")`,
    ],
    [
      'onWarning that is not a function',
      { env, onWarning: 'console' },
      'onWarning',
      '"onWarning" option must be a function (got a string)',
    ],
  ];
  for (const [name, options, argument, message] of rows) {
    test(name, async () => {
      await assert.rejects(strategyFromEnv(options as never), (err: unknown) => {
        assert.ok(err instanceof InvalidArgumentError, String(err));
        assert.equal(err.argument, argument);
        assert.equal(err.message, message);
        assert.ok(!err.message.includes(env.LINE_CHANNEL_SECRET));
        return true;
      });
    });
  }
});
