import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, test } from 'node:test';
import { EmulatorCore } from '../../src/emulator/internal/core.js';
import * as R from '../../src/emulator/internal/responses.js';
import { handleMessaging, MESSAGING_ROUTES } from '../../src/emulator/messaging.js';
import { ASSERTION_TYPE, OPERATIONS } from '../../src/emulator/operations.js';

const CHANNEL = '1234567890';
const SECRET = 'shh-0123456789abcdef';
const USER = `U${'ab'.repeat(16)}`;
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Every answer a template made must read exactly as JSON.stringify of its body would. */
function assertTemplate(answer: R.Answer): void {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(typeof answer.json, 'string');
  assert.equal(answer.json, JSON.stringify(answer.body));
}

function handle(core: EmulatorCore, path: string, params: Record<string, string>): R.Answer {
  return OPERATIONS.get(path)!.handle(core, new Map(Object.entries(params)));
}

describe('answers made from templates', () => {
  const core = new EmulatorCore({
    now: Date.now,
    rateLimit: false,
    seed: 1,
    channels: [{ id: CHANNEL, secret: SECRET }],
  });
  const credentials = {
    grant_type: 'client_credentials',
    client_id: CHANNEL,
    client_secret: SECRET,
  };

  test('the token issues read as JSON.stringify of their bodies', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { kid } = core.registerKey(CHANNEL, {
      ...publicKey.export({ format: 'jwk' }),
      alg: 'RS256',
      use: 'sig',
    });
    for (const tokenExp of [1, 86_400, '2592000']) {
      const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64({
        iss: CHANNEL,
        sub: CHANNEL,
        aud: 'https://api.line.me/',
        exp: Math.floor(Date.now() / 1000) + 600,
        token_exp: tokenExp,
      })}`;
      const signature = sign('sha256', Buffer.from(input), privateKey).toString('base64url');
      const assertion = {
        grant_type: 'client_credentials',
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: `${input}.${signature}`,
      };
      assertTemplate(handle(core, '/oauth2/v2.1/token', assertion));
      assertTemplate(handle(core, '/oauth2/v3/token', assertion));
    }
    for (let i = 0; i < 40; i++) {
      assertTemplate(handle(core, '/v2/oauth/accessToken', credentials));
      assertTemplate(handle(core, '/oauth2/v3/token', credentials));
    }
  });

  test("a push's answer reads as JSON.stringify of its body, for 1 to 5 messages", () => {
    core.addFriend(CHANNEL, { userId: USER });
    const issued = handle(core, '/v2/oauth/accessToken', credentials);
    const token = (issued.body as { access_token: string }).access_token;
    for (let count = 1; count <= 5; count++) {
      const answer = handleMessaging(core, MESSAGING_ROUTES.get('/v2/bot/message/push')!, {
        authorization: `Bearer ${token}`,
        contentType: 'application/json',
        retryKey: undefined,
        body: Buffer.from(
          JSON.stringify({
            to: USER,
            messages: Array.from({ length: count }, (_, i) => ({ type: 'text', text: `m${i}` })),
          }),
        ),
        requestId: 'request-id',
        query: '',
      });
      assertTemplate(answer);
      assert.equal((answer.body as { sentMessages: unknown[] }).sentMessages.length, count);
    }
  });

  test('constant answers carry the text of their bodies', () => {
    let constants = 0;
    for (const value of Object.values(R)) {
      if (typeof value !== 'object' || value === null || !('json' in value)) continue;
      const answer = value as R.Answer;
      assert.equal(answer.json, JSON.stringify(answer.body));
      constants++;
    }
    assert.ok(constants >= 25, `only ${constants} constants carry their text`);
  });
});
