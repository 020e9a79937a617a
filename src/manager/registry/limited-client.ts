/**
 * A client whose issue calls go through the registry's {@link IssueLimiter}: what the
 * registry gives the full {@link TokenManager} of a v2.1 or short-lived channel, so its
 * issues count against the registry-wide bound while the manager's own slot accounting,
 * retries and revocations stay as they are.
 *
 * @module
 */
import type { ChannelAccessTokenClient } from '../../client/client.js';
import { LineNetworkError } from '../../errors.js';
import type { IssueEndpoint, IssueLimiter } from './limiter.js';

const PASSED = ['verify', 'revoke', 'verifyV21', 'revokeV21', 'getValidKeyIds'] as const;
const LIMITED: readonly IssueEndpoint[] = ['issueShortLived', 'issueV21', 'issueStateless'];

type Call = (params: unknown, options?: { signal?: AbortSignal }) => Promise<unknown>;

/**
 * The manager's timeout may fire while the request waits in the queue; LINE never saw it,
 * so it fails as a request that was provably not sent (it costs no v2.1 slot budget).
 */
function notSent(operation: string): LineNetworkError {
  const cause = Object.assign(
    new Error('the registry queue held the request past its timeout; it was never sent'),
    { code: 'ERR_LINE_REGISTRY_QUEUE' },
  );
  return new LineNetworkError(operation, { cause });
}

/** `client` with its issue calls queued in `limiter` (first come, first served). */
export function limitedClient(
  client: ChannelAccessTokenClient,
  limiter: IssueLimiter,
  now: () => number,
): ChannelAccessTokenClient {
  const source = client as unknown as Record<string, Call>;
  const out: Record<string, Call> = {};
  for (const name of PASSED) out[name] = source[name]!.bind(client);
  for (const name of LIMITED) {
    const call = source[name]!.bind(client);
    out[name] = (params, options) =>
      limiter.run(name, now(), () =>
        options?.signal?.aborted === true ? Promise.reject(notSent(name)) : call(params, options),
      );
  }
  return out as unknown as ChannelAccessTokenClient;
}
