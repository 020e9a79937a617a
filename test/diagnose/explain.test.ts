// The pure pieces: LINE's refusals read into a cause and a fix (what the manager will attach
// to the error that stops it), and the clock window that keeps a slow answer from faking a skew.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { explainLineFailure } from '../../src/diagnose/index.js';
import { measuredSkewMs } from '../../src/diagnose/internal/clock.js';
import { LineApiError, LineNetworkError } from '../../src/errors.js';

const api = (fields: Partial<ConstructorParameters<typeof LineApiError>[0]>) =>
  new LineApiError({ operation: 'issueV21', status: 400, ...fields });

describe('explainLineFailure()', () => {
  const context = { channelId: '1573163733', kid: 'kid-1', strategy: 'v2.1' };

  test('names the cause of each assertion refusal LINE words', () => {
    const cases: Array<[LineApiError, RegExp, RegExp]> = [
      [
        api({ status: 404, lineMessage: 'Cannot find channel key that satisfies the conditions' }),
        /kid kid-1 is not registered on any channel/,
        /register the key's public JWK/,
      ],
      [
        api({ error: 'invalid_client', errorDescription: 'iss and clientId of key do not match' }),
        /kid kid-1 is registered on another channel than channel 1573163733/,
        /check the channel id/,
      ],
      [
        api({ error: 'invalid_client', errorDescription: 'Invalid signature' }),
        /private key does not match kid kid-1/,
        /sign with the private key whose public half you registered as kid kid-1/,
      ],
      [api({ error: 'invalid_client', errorDescription: 'Invalid exp' }), /clock is off/, /NTP/],
      [
        api({ lineMessage: 'The maximum number of access tokens has already been issued' }),
        /30 live v2\.1 tokens/,
        /revoke/,
      ],
      [
        api({
          operation: 'issueStateless',
          error: 'invalid_request',
          errorDescription: "Invalid 'client_credentials'.",
        }),
        /refuses the channel secret for channel 1573163733/,
        /copy the Channel secret/,
      ],
    ];
    for (const [error, cause, fix] of cases) {
      const why = explainLineFailure(error, context);
      assert.ok(why, error.message);
      assert.match(why.cause, cause);
      assert.match(why.fix, fix);
    }
  });

  test('answers undefined for what it cannot explain: 5xx, rate limits, other errors', () => {
    assert.equal(explainLineFailure(api({ status: 500, lineMessage: 'oops' }), context), undefined);
    assert.equal(
      explainLineFailure(api({ status: 429, lineMessage: 'The API rate limit has been exceeded' })),
      undefined,
    );
    assert.equal(explainLineFailure(new LineNetworkError('issueV21')), undefined);
    assert.equal(explainLineFailure('not an error'), undefined);
  });
});

describe('measuredSkewMs()', () => {
  const DATE = Date.UTC(2026, 10, 29, 12, 0, 0);

  test("finds no skew when LINE's second falls inside the round trip, however slow", () => {
    assert.equal(
      measuredSkewMs([{ sentAt: DATE - 20_000, receivedAt: DATE + 20_000, serverDateMs: DATE }]),
      0,
    );
    assert.equal(
      measuredSkewMs([{ sentAt: DATE + 900, receivedAt: DATE + 950, serverDateMs: DATE }]),
      0,
    );
  });

  test('measures only what lies outside the window, both ways', () => {
    assert.equal(
      measuredSkewMs([{ sentAt: DATE + 601_000, receivedAt: DATE + 601_050, serverDateMs: DATE }]),
      600_000,
    );
    assert.equal(
      measuredSkewMs([{ sentAt: DATE - 10_050, receivedAt: DATE - 10_000, serverDateMs: DATE }]),
      -10_000,
    );
  });

  test('keeps the sample closest to zero, and answers undefined without one', () => {
    assert.equal(
      measuredSkewMs([
        { sentAt: DATE + 9_000, receivedAt: DATE + 9_000, serverDateMs: DATE },
        { sentAt: DATE + 3_000, receivedAt: DATE + 3_000, serverDateMs: DATE },
      ]),
      2_000,
    );
    assert.equal(measuredSkewMs([]), undefined);
  });
});
