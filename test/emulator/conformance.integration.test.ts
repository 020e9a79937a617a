// The rulebook over raw HTTP: every rule of docs/line-rules.md, sent with node:http and
// assertions signed by node:crypto, so nothing of ours stands between the test and the wire.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ASSERTION_RULES,
  RULES,
  buildFixture,
  send,
  type Expectation,
  type Fixture,
} from './rules.js';
import type { RawAnswer } from './helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function check(r: RawAnswer, expect: Expectation, f: Fixture, seen: Set<string>) {
  const id = String(r.headers['x-line-request-id']);
  assert.match(id, UUID, 'every answer carries an x-line-request-id');
  assert.ok(!seen.has(id), 'request ids are unique');
  seen.add(id);
  assert.equal(r.status, expect.status, r.text);
  if ('empty' in expect) {
    assert.equal(r.text, '');
    return;
  }
  assert.equal(r.headers['content-type'], 'application/json');
  if ('body' in expect) assert.deepEqual(r.json, expect.body);
  else await expect.check(r.json as Record<string, unknown>, f);
}

describe('conformance over raw HTTP', () => {
  let f: Fixture;
  const seen = new Set<string>();
  before(async () => {
    f = await buildFixture();
  });
  after(() => f.emu.close());

  for (const rule of RULES) {
    test(rule.name, async () => {
      await check(await send(f.emu.url, rule.op, rule.params(f)), rule.expect, f, seen);
    });
  }

  // The same assertion checks guard the key-id listing and the stateless issue; neither
  // needs token_exp, so what token_exp alone makes fail passes there.
  for (const op of ['getValidKeyIds', 'issueStateless'] as const) {
    for (const rule of ASSERTION_RULES) {
      const tokenExpOnly =
        'body' in rule.expect && rule.expect.body['error_description'] === 'Invalid token_exp';
      const expect: Expectation =
        rule.expect.status === 200 || tokenExpOnly
          ? {
              status: 200,
              check: (b) =>
                assert.ok(
                  op === 'getValidKeyIds' ? Array.isArray(b['kids']) : b['expires_in'] === 900,
                ),
            }
          : rule.expect;
      test(`${op}, assertion: ${rule.name}`, async () => {
        const params: Record<string, string> = {
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: rule.assertion(f),
        };
        if (op === 'issueStateless') params['grant_type'] = 'client_credentials';
        await check(await send(f.emu.url, op, params), expect, f, seen);
      });
    }
  }

  test('after the rules: the revoked tokens are dead, the untouched ones live', async () => {
    const v21 = await send(f.emu.url, 'verifyV21', { access_token: f.t.v21ToRevoke });
    assert.deepEqual(v21.json, {
      error: 'invalid_request',
      error_description: 'The access token revoked',
    });
    const short = await send(f.emu.url, 'verify', { access_token: f.t.shortToRevoke });
    assert.deepEqual(short.json, {
      error: 'invalid_request',
      error_description: 'access_token invalid',
    });
    const ofB = await send(f.emu.url, 'verifyV21', { access_token: f.t.v21OfB });
    assert.equal(ofB.status, 200, "revoking with channel A's secret left channel B's token alone");
    const stateless = await send(f.emu.url, 'verify', { access_token: f.t.statelessToRevoke });
    assert.equal(stateless.status, 200, 'a stateless token cannot be revoked');
  });
});
