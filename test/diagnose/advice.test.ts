// The CLI, the manager and explainLineFailure() say what an error means
// from one table (src/internal/advice.ts), so they cannot drift apart again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { explainError } from '../../src/cli/exit-code.js';
import { explainLineFailure } from '../../src/diagnose/index.js';
import { LineApiError, LineNetworkError, LineTimeoutError } from '../../src/errors.js';
import { adviceFor } from '../../src/internal/advice.js';
import { failureHint } from '../../src/manager/internal/policy.js';

const api = (fields: Partial<ConstructorParameters<typeof LineApiError>[0]>) =>
  new LineApiError({ operation: 'issueV21', status: 400, ...fields });

const REFUSALS: Array<[string, LineApiError]> = [
  [
    'unknown-kid',
    api({ status: 404, lineMessage: 'Cannot find channel key that satisfies the conditions' }),
  ],
  [
    'kid-on-other-channel',
    api({ error: 'invalid_client', errorDescription: 'iss and clientId of key do not match' }),
  ],
  ['bad-signature', api({ error: 'invalid_client', errorDescription: 'Invalid signature' })],
  ['bad-exp', api({ error: 'invalid_client', errorDescription: 'Invalid exp' })],
  [
    'token-limit',
    api({ lineMessage: 'The maximum number of access tokens has already been issued' }),
  ],
  [
    'bad-secret',
    api({
      operation: 'issueShortLived',
      error: 'invalid_client',
      errorDescription: 'invalid client_secret',
    }),
  ],
  [
    'unknown-channel',
    api({
      operation: 'issueShortLived',
      error: 'invalid_request',
      errorDescription: 'invalid client_id',
    }),
  ],
];

describe('adviceFor(): one table for every audience', () => {
  const context = { channelId: '1573163733', kid: 'kid-1' };

  test('explainLineFailure, the manager hint and the CLI hint all come from the same entry', () => {
    for (const [topic, error] of REFUSALS) {
      const advice = adviceFor(error, context);
      assert.equal(advice?.topic, topic, error.message);
      assert.equal(advice.permanent, true);
      assert.deepEqual(explainLineFailure(error, context), {
        cause: advice.cause,
        fix: advice.fix,
      });
      assert.equal(failureHint(error, 'v2.1', context), `${advice.cause}: ${advice.fix}`);
      assert.equal(explainError(error).hint, advice.cliFix);
    }
  });

  test('a stateless refusal of the credentials points at the id and the secret alike', () => {
    const error = api({
      operation: 'issueStateless',
      error: 'invalid_request',
      errorDescription: "Invalid 'client_credentials'.",
    });
    const advice = adviceFor(error, context);
    assert.match(advice?.fix ?? '', /channel ID and channel secret/);
    assert.equal(explainError(error).hint, 'check the channel secret');
  });

  test('passing failures are advised on but are not permanent, so explain says nothing', () => {
    const limited = api({ status: 429, lineMessage: 'The API rate limit has been exceeded' });
    assert.equal(adviceFor(limited)?.permanent, false);
    assert.equal(explainLineFailure(limited), undefined);
    assert.equal(explainError(limited).hint, adviceFor(limited)?.cliFix);
    for (const error of [new LineNetworkError('verify'), new LineTimeoutError('verify', 10)]) {
      const advice = adviceFor(error);
      assert.equal(advice?.permanent, false);
      assert.equal(explainError(error).hint, advice.cliFix);
    }
    assert.equal(adviceFor(api({ status: 500, lineMessage: 'oops' })), undefined);
    assert.equal(adviceFor(new Error('bug')), undefined);
  });
});
