// Property tests of the option limits: a value is accepted exactly when LINE would accept
// it, and whatever is accepted lands in the signed claims unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createAssertionSigner, InvalidArgumentError } from '../../src/index.js';
import { DEFAULT_ASSERTION_LIFETIME_SEC } from '../../src/assertion/constants.js';
import { MAX_ASSERTION_LIFETIME_SEC, MAX_TOKEN_EXP_SEC } from '../../src/line/facts.js';
import { normalizeAssertionOptions } from '../../src/assertion/internal/options.js';
import { publicOf, SEED_001_JWK, verifyAssertion } from './helpers.js';

const valid = { channelId: '1573163733', kid: 'kid', privateKey: SEED_001_JWK };

function accepts(patch: Record<string, unknown>): boolean {
  try {
    normalizeAssertionOptions({ ...valid, ...patch });
    return true;
  } catch (err) {
    assert.ok(err instanceof InvalidArgumentError, 'refusals are InvalidArgumentErrors');
    return false;
  }
}

const anyNumber = fc.oneof(
  fc.integer({ min: -10, max: MAX_TOKEN_EXP_SEC + 10 }),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1.5, MAX_TOKEN_EXP_SEC + 0.5),
);

test('tokenExpSec is accepted exactly when it is an integer from 1 to 2592000', () => {
  fc.assert(
    fc.property(anyNumber, (n) => {
      assert.equal(
        accepts({ tokenExpSec: n }),
        Number.isInteger(n) && n >= 1 && n <= MAX_TOKEN_EXP_SEC,
      );
    }),
    { numRuns: 2000 },
  );
});

test('lifetimeSec is accepted exactly when it is an integer from 1 to 1800', () => {
  fc.assert(
    fc.property(anyNumber, (n) => {
      assert.equal(
        accepts({ lifetimeSec: n }),
        Number.isInteger(n) && n >= 1 && n <= MAX_ASSERTION_LIFETIME_SEC,
      );
    }),
    { numRuns: 2000 },
  );
});

test('channelId is accepted exactly when it is a non-empty string of ASCII digits', () => {
  const candidates = fc.oneof(
    fc.stringMatching(/^[0-9]{1,12}$/),
    fc.string(),
    fc.constantFrom('１２３', '12 3', ' 123', '123\n', '-1', '1e3', '0x10'),
  );
  fc.assert(
    fc.property(candidates, (id) => {
      assert.equal(accepts({ channelId: id }), /^[0-9]+$/.test(id));
    }),
    { numRuns: 2000 },
  );
});

test('whatever is accepted is signed unchanged: iss = sub = channelId, exp = now + lifetimeSec, token_exp', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.stringMatching(/^[0-9]{1,12}$/),
      fc.option(fc.integer({ min: 1, max: MAX_TOKEN_EXP_SEC }), { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: MAX_ASSERTION_LIFETIME_SEC }), { nil: undefined }),
      fc.integer({ min: 0, max: 4_102_444_800_000 }),
      async (channelId, tokenExpSec, lifetimeSec, nowMs) => {
        const signer = createAssertionSigner({
          ...valid,
          channelId,
          tokenExpSec,
          lifetimeSec,
          now: () => nowMs,
        });
        const { payload } = verifyAssertion(await signer.sign(), publicOf(SEED_001_JWK));
        const expected: Record<string, unknown> = {
          iss: channelId,
          sub: channelId,
          aud: 'https://api.line.me/',
          exp: Math.floor(nowMs / 1000) + (lifetimeSec ?? DEFAULT_ASSERTION_LIFETIME_SEC),
        };
        if (tokenExpSec !== undefined) expected['token_exp'] = tokenExpSec;
        assert.deepEqual(payload, expected);
      },
    ),
    { numRuns: 60 },
  );
});

test('a v2.1 strategy passed as it is signs: its type and channelSecret are ignored, a typo is not', () => {
  const strategy = {
    type: 'v2.1',
    channelId: '1573163733',
    kid: 'kid-1',
    privateKey: SEED_001_JWK,
    tokenExpSec: 3600,
    channelSecret: 'strategy-secret',
  };
  assert.equal(normalizeAssertionOptions(strategy).tokenExpSec, 3600);
  assert.throws(() => normalizeAssertionOptions({ ...strategy, tokenExpSecs: 60 }), {
    argument: 'tokenExpSecs',
    message: '"tokenExpSecs" is not an assertion option; did you mean "tokenExpSec"?',
  });
});
