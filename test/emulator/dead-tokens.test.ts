import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseForm } from '../../src/emulator/internal/http.js';
import { DeadTokens, type TokenRecord } from '../../src/emulator/internal/records.js';

const record = (n: number): TokenRecord => ({
  token: `token ${n}`,
  family: 'short-lived',
  channelId: '1234567890',
  issuedAt: n,
  expiresAt: n + 1,
  revokedAt: n,
});

test('a channel forgets its oldest dead tokens one by one, in order, past 1,000', () => {
  const dead = new DeadTokens();
  const forgotten: string[] = [];
  const forget = (token: string) => forgotten.push(token);
  for (let n = 1; n <= 3_500; n++) {
    dead.add(record(n), forget);
    // Exactly the tokens older than the newest 1,000, oldest first, at every step.
    const expected = Math.max(0, n - 1_000);
    assert.equal(forgotten.length, expected, `after ${n} burials`);
    if (expected > 0) assert.equal(forgotten.at(-1), `token ${expected}`);
    assert.equal(dead.size, Math.min(n, 1_000));
  }
  assert.deepEqual(
    forgotten.slice(0, 3),
    ['token 1', 'token 2', 'token 3'],
    'the oldest went first',
  );
});

test('restored dead tokens are kept until the next burial, which forgets the excess in order', () => {
  const dead = new DeadTokens();
  for (let n = 1; n <= 1_005; n++) dead.restore(record(n));
  assert.equal(dead.size, 1_005);
  const forgotten: string[] = [];
  dead.add(record(1_006), (token) => forgotten.push(token));
  assert.deepEqual(forgotten, ['token 1', 'token 2', 'token 3', 'token 4', 'token 5', 'token 6']);
  assert.equal(dead.size, 1_000);
});

test('a form part decodes the same from the cache, and a bad escape is refused every time', () => {
  const form = 'client_assertion_type=urn%3Aietf%3Aparams%3Aoauth&x=a+b%20c';
  for (let i = 0; i < 3; i++) {
    const params = parseForm(form);
    assert.equal(params?.get('client_assertion_type'), 'urn:ietf:params:oauth');
    assert.equal(params?.get('x'), 'a b c');
    assert.equal(parseForm('x=%E0%A4%A'), undefined, `bad escape, attempt ${i + 1}`);
  }
});
