/**
 * What the registry's compact engine says about failures: which refusals mean the
 * credentials changed, and the errors its callers get.
 *
 * @module
 */
import { TokenUnavailableError } from '../../errors.js';
import { adviceFor } from '../../internal/advice.js';
import { unavailableError } from '../internal/outcome.js';

// The refusals that mean the channel's credentials are no longer the ones LINE has.
const CREDENTIAL_TOPICS = new Set([
  'unknown-kid',
  'kid-on-other-channel',
  'bad-secret',
  'unknown-channel',
]);

/** Whether LINE refused `err` because the credentials changed (reloading them may help). */
export function isCredentialRefusal(err: unknown): boolean {
  const topic = adviceFor(err)?.topic;
  return topic !== undefined && CREDENTIAL_TOPICS.has(topic);
}

/** The store key of a stateless channel: the one a {@link TokenManager} would use. */
export function keyOf(channelId: string): string {
  return `stateless:${channelId}`;
}

/** The error of a caller of a stateless channel left without a token by `err`. */
export function unavailable(err: unknown, channelId: string): TokenUnavailableError {
  return unavailableError(err, {
    type: 'stateless',
    channelId,
    liveKeyIds: undefined,
    gaveUpAfter: undefined,
  });
}

/** The error of a caller whose channel's issue never left the registry's queue in time. */
export function queueError(
  channelId: string,
  waitedMs: number,
  queue: { queued: number; inFlight: number },
): TokenUnavailableError {
  return new TokenUnavailableError(
    `no valid token for channel ${channelId}: its issue waited ${waitedMs} ms in the registry's issue queue (${queue.queued} queued, ${queue.inFlight} in flight) without reaching LINE`,
    {
      permanent: false,
      hint: 'The registry is issuing for many channels at once; try again shortly, or raise maxConcurrentIssues or queueTimeoutMs',
    },
  );
}
