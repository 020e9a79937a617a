// Shared pieces of the client's tests: secret-bearing arguments for every operation, the
// check that none of those secrets reaches an error, and a fetch that counts attempts.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';

import {
  ChannelAccessTokenClient,
  type ClientOptions,
  type OperationName,
  type RetryOptions,
} from '../../src/index.js';

export const SECRET = 'channel-secret-0123456789abcdef';
// `+`, `/` and `=` check that the form and query encodings round-trip.
export const TOKEN = 'access-token-ZYXWVUTSRQ+/=';
export const ASSERTION = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxIn0.signature-part';

/** Calls one operation with valid, secret-bearing arguments. */
export function callOperation(
  client: ChannelAccessTokenClient,
  op: OperationName,
  signal?: AbortSignal,
): Promise<unknown> {
  const options = signal ? { signal } : undefined;
  switch (op) {
    case 'issueShortLived':
      return client.issueShortLived({ channelId: '1234567890', channelSecret: SECRET }, options);
    case 'verify':
      return client.verify({ accessToken: TOKEN }, options);
    case 'revoke':
      return client.revoke({ accessToken: TOKEN }, options);
    case 'issueV21':
      return client.issueV21({ assertion: ASSERTION }, options);
    case 'verifyV21':
      return client.verifyV21({ accessToken: TOKEN }, options);
    case 'revokeV21':
      return client.revokeV21(
        { channelId: '1234567890', channelSecret: SECRET, accessToken: TOKEN },
        options,
      );
    case 'getValidKeyIds':
      return client.getValidKeyIds({ assertion: ASSERTION }, options);
    case 'issueStateless':
      return client.issueStateless({ channelId: '1234567890', channelSecret: SECRET }, options);
  }
}

/** The rejection of `promise`; fails the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

/** No secret in the message, the JSON view or util.inspect, at any depth of the cause chain. */
export function assertNoSecrets(error: unknown): void {
  const views = [
    error instanceof Error ? error.message : String(error),
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
  ];
  for (const view of views) {
    for (const secret of [SECRET, TOKEN, ASSERTION, encodeURIComponent(TOKEN)]) {
      assert.equal(view.includes(secret), false, `a secret leaked into: ${view}`);
    }
  }
}

// Canned answers for the retry tests. OK is a 200 every operation accepts: a superset of
// all result shapes.
export const OK = {
  body: {
    access_token: 't',
    token_type: 'Bearer',
    expires_in: 900,
    key_id: 'k',
    client_id: '1',
    kids: [],
  },
};
export const UNAVAILABLE = { status: 503, body: { message: 'Service Unavailable' } };
export const RATE_LIMITED = {
  status: 429,
  body: { message: 'The API rate limit has been exceeded. Try again later.' },
};
export const NOW = Date.parse('2024-05-01T12:00:00Z');

/** A client on `baseUrl` whose retry waits are recorded (no jitter unless asked), not slept. */
export function recordingClient(
  baseUrl: string,
  retry: Partial<RetryOptions> = {},
  extra: ClientOptions = {},
): { client: ChannelAccessTokenClient; delays: number[] } {
  const delays: number[] = [];
  const client = new ChannelAccessTokenClient({
    baseUrl,
    now: () => NOW,
    retry: {
      jitter: false,
      delay: async (ms) => {
        delays.push(ms);
      },
      ...retry,
    },
    ...extra,
  });
  return { client, delays };
}

/**
 * A fetch that counts the attempts the client starts. A 30 ms timeout on a busy machine
 * may fire before the request reaches the test server, so attempts are counted where they
 * begin, not where they land: the assertion holds whatever the load.
 */
export function countedFetch(): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return {
    fetch: (input, init) => {
      calls++;
      return fetch(input, init);
    },
    calls: () => calls,
  };
}
