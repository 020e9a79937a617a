import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenMint } from '../../src/emulator/internal/tokens.js';
import { FIXED_SECRET, FORMAT_1_TOKENS } from './stateless-fixtures.js';

const EXPECTED = { channelId: '1234567890', expiresAtSec: 4_102_444_800 };
const mint = () => new TokenMint(new Uint8Array(Buffer.from(FIXED_SECRET, 'base64')));
const payloadOf = (token: string) => Buffer.from(token.split('.')[1]!, 'base64url');

test('tokens of format 1, minted by the previous version, still read', () => {
  assert.equal(payloadOf(FORMAT_1_TOKENS[1]!)[0], 0x02, 'the fixture starts with the tag');
  for (const token of FORMAT_1_TOKENS) assert.deepEqual(mint().readStateless(token), EXPECTED);
});

test('new tokens are format 2: tagged, and read back', () => {
  const m = mint();
  for (let i = 0; i < 50; i++) {
    const token = m.stateless('1234567890', 4_102_444_800);
    assert.equal(payloadOf(token)[0], 0x02);
    assert.deepEqual(m.readStateless(token), EXPECTED);
    assert.notEqual(token, m.stateless('1234567890', 4_102_444_800), 'each token is fresh');
  }
});

test('no edit of either format, no mix of the two and no other secret is accepted', () => {
  const m = mint();
  const fresh = m.stateless('1234567890', 4_102_444_800);
  for (const token of [...FORMAT_1_TOKENS, fresh]) {
    for (let at = 21; at < token.length; at++) {
      if (token[at] === '.') continue;
      const edited = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
      assert.equal(m.readStateless(edited), undefined, `edit at ${at}`);
    }
    assert.equal(new TokenMint(new Uint8Array(32)).readStateless(token), undefined);
  }
  // A format 1 signature on a format 2 payload, and the reverse.
  const [header, payload2, signature2] = fresh.split('.');
  const [, payload1, signature1] = FORMAT_1_TOKENS[1]!.split('.');
  assert.equal(m.readStateless(`${header}.${payload2}.${signature1}`), undefined);
  assert.equal(m.readStateless(`${header}.${payload1}.${signature2}`), undefined);
});
