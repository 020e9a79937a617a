import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { HmacSha256 } from '../../src/emulator/internal/hmac.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

describe('HmacSha256 (the emulator token signature)', () => {
  test('gives the bytes of createHmac for keys and messages of every length', () => {
    for (let round = 0; round < 200; round++) {
      const key = randomBytes(32).toString('hex');
      const hmac = new HmacSha256(key);
      // Short, one-block and multi-block messages, each MAC'd twice: the buffers are reused.
      for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 500, round * 7]) {
        let text = '';
        for (let i = 0; i < length; i++) text += BASE64URL[randomBytes(1)[0]! % BASE64URL.length];
        const expected = createHmac('sha256', Buffer.from(key, 'latin1')).update(text).digest();
        assert.deepEqual(hmac.digest(text), expected);
        assert.deepEqual(hmac.digest(text), expected);
        assert.equal(hmac.digestBase64url(text), expected.toString('base64url'));
      }
    }
  });

  test('refuses a key that is not 64 printable ASCII characters', () => {
    for (const key of [
      '',
      'ab'.repeat(16),
      'ab'.repeat(33),
      `${'a'.repeat(63)}\u00e9`,
      `${'a'.repeat(63)}\n`,
    ]) {
      assert.throws(() => new HmacSha256(key), RangeError);
    }
  });
});
