// The pure Retry-After parser: both forms RFC 9110 allows, and everything it must refuse.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseRetryAfter } from '../../src/internal/retry-after.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

test('delay-seconds become milliseconds', () => {
  assert.equal(parseRetryAfter('0', NOW), 0);
  assert.equal(parseRetryAfter('7', NOW), 7000);
  assert.equal(parseRetryAfter(' 120 ', NOW), 120_000);
});

test('an IMF-fixdate is counted from now', () => {
  assert.equal(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', NOW), 30_000);
});

test('the obsolete RFC 850 and asctime dates are accepted too', () => {
  assert.equal(parseRetryAfter('Wednesday, 01-May-24 12:01:00 GMT', NOW), 60_000);
  assert.equal(parseRetryAfter('Wed May  1 12:00:05 2024', NOW), 5_000);
});

test('a date in the past means no wait', () => {
  assert.equal(parseRetryAfter('Tue, 30 Apr 2024 12:00:00 GMT', NOW), 0);
});

test('absent or malformed values give undefined, so the caller falls back to backoff', () => {
  for (const value of [
    null,
    undefined,
    '',
    'soon',
    '-5',
    '1.5',
    '+3',
    '0x10',
    '1e3',
    '5 s',
    'Wed, 01 May 2024 12:00:30',
    '2024-05-01T12:00:30Z',
    'Wed, 32 May 2024 12:00:30 GMT',
  ]) {
    assert.equal(parseRetryAfter(value, NOW), undefined, `for ${String(value)}`);
  }
});
