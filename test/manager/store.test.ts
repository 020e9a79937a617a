import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStoredToken, pickStoredToken, type StoredToken } from '../../src/manager/store.js';

const good: StoredToken = { accessToken: 'tok', expiresAt: 2_000, issuedAt: 1_000, type: 'v2.1' };

describe('isStoredToken', () => {
  test('accepts the stored shape, with or without the optional fields', () => {
    assert.equal(isStoredToken(good), true);
    assert.equal(isStoredToken({ ...good, keyId: 'k', refreshAt: 1_500 }), true);
  });

  const bad: Array<[string, unknown]> = [
    ['null', null],
    ['a string', 'tok'],
    ['an empty token', { ...good, accessToken: '' }],
    ['a numeric token', { ...good, accessToken: 42 }],
    ['no expiry', { ...good, expiresAt: undefined }],
    ['an expiry as text', { ...good, expiresAt: '2000' }],
    ['an infinite expiry', { ...good, expiresAt: Infinity }],
    ['a NaN issue time', { ...good, issuedAt: NaN }],
    ['no type', { ...good, type: undefined }],
    ['a numeric keyId', { ...good, keyId: 7 }],
    ['a refreshAt as text', { ...good, refreshAt: 'soon' }],
  ];
  for (const [what, value] of bad) {
    test(`refuses ${what}`, () => assert.equal(isStoredToken(value), false));
  }
});

describe('pickStoredToken', () => {
  test('keeps the known fields and drops whatever else rides on the object', () => {
    const noisy = { ...good, keyId: 'k', refreshAt: 1_500, secret: 'x', nested: { a: 1 } };
    assert.deepEqual(pickStoredToken(noisy), { ...good, keyId: 'k', refreshAt: 1_500 });
    assert.deepEqual(pickStoredToken(good), good);
  });
});
