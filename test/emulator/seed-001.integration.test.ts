// Seed 001's own recipe, reproduced: a user holding a private JWK that came from the
// Console years ago, with its kid inside, registers it under that literal kid and issues a
// v2.1 token with an assertion signed by plain node:crypto (not our signer), exactly the
// header and claims the seed's Python (jwcrypto) code builds.
import assert from 'node:assert/strict';
import { createPrivateKey, sign, type JsonWebKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { getQuery, postForm, raw, start } from './helpers.js';
import { defer } from '../fixtures.js';

// The seed's private JWK, verbatim (test/assertion/fixtures/README.md says where it is from).
const privateJwk = JSON.parse(
  readFileSync(new URL('../assertion/fixtures/seed-001-private.jwk.json', import.meta.url), 'utf8'),
) as Record<string, string>;
const SEED_KID = '1dab2f4f-b73f-47a3-b99d-1730e22b9544';
const SEED_CHANNEL = '1573163733';

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe("seed 001's recipe against the emulator", () => {
  test('its literal private JWK, registered under its literal kid, signs an assertion that issues a token', async (t) => {
    assert.equal(privateJwk['kid'], SEED_KID, 'the fixture is the seed key, kid inside');
    const { emu, clock } = await start({
      channels: [{ id: SEED_CHANNEL, secret: 's'.repeat(32) }],
    });
    defer(t, () => emu.close());
    // The public half as a user would cut it from the private JWK: kid, alg and use kept.
    const { kty, n, e, alg, use, kid } = privateJwk;
    const registered = await raw(emu.url, {
      method: 'POST',
      path: `/__emulator/channels/${SEED_CHANNEL}/keys?kid=${SEED_KID}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kty, n, e, alg, use, kid }),
    });
    assert.equal(registered.status, 201, registered.text);
    assert.deepEqual(registered.json, { kid: SEED_KID });

    // The seed's header and payload: exp 30 minutes ahead, token_exp 60 seconds.
    const header = { alg: 'RS256', typ: 'JWT', kid: SEED_KID };
    const payload = {
      iss: SEED_CHANNEL,
      sub: SEED_CHANNEL,
      aud: 'https://api.line.me/',
      exp: clock.sec + 60 * 30,
      token_exp: 60,
    };
    const input = `${b64url(header)}.${b64url(payload)}`;
    const key = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
    const assertion = `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;

    const issued = await postForm(emu.url, '/oauth2/v2.1/token', {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    assert.equal(issued.status, 200, issued.text);
    const body = issued.json as Record<string, unknown>;
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['expires_in'], 60);
    assert.match(String(body['key_id']), /^[A-Za-z0-9_-]{22}$/);
    const verified = await getQuery(emu.url, '/oauth2/v2.1/verify', {
      access_token: String(body['access_token']),
    });
    assert.equal(verified.status, 200);
    assert.equal((verified.json as { client_id: string }).client_id, SEED_CHANNEL);
  });
});
