/**
 * Names of the metrics and attributes, in one place: the docs' metric table and the
 * tests read them from here. Our own attributes are under `line_token.`; HTTP spans use
 * OpenTelemetry's HTTP client semantic conventions. No attribute ever holds a token, a
 * secret or an assertion: the values are operation names, families, statuses, error
 * codes, LINE's request id, store class names and (switchable off) the channel id.
 *
 * @module
 */
import type { Attributes } from '@opentelemetry/api';
import { LineTokenError } from '../../errors.js';
import type { OperationName } from '../../client/types.js';

/** The instrumentation scope name (tracer and meter). */
export const SCOPE = 'line-token';

/** Every metric's name. */
export const METRIC = {
  requestDuration: 'line_token.request.duration',
  issues: 'line_token.issues',
  rateLimited: 'line_token.rate_limited',
  retryAfter: 'line_token.retry_after',
  refreshDuration: 'line_token.refresh.duration',
  refreshFailing: 'line_token.refresh.failing',
  remainingLifetime: 'line_token.token.remaining_lifetime',
  liveTokens: 'line_token.v21.live_tokens',
  unaccountedTokens: 'line_token.v21.unaccounted_tokens',
  storeErrors: 'line_token.store.errors',
  registryQueue: 'line_token.registry.queue_length',
} as const;

/** Our own attribute keys. */
export const ATTR = {
  operation: 'line_token.operation',
  family: 'line_token.family',
  channelId: 'line_token.channel_id',
  outcome: 'line_token.outcome',
  retries: 'line_token.retries',
  store: 'line_token.store',
  storeOperation: 'line_token.store.operation',
  /** LINE's `x-line-request-id`, as the semantic conventions name a response header. */
  requestId: 'http.response.header.x-line-request-id',
} as const;

/** The token family an issue operation yields; `undefined` for the other operations. */
export function familyOf(operation: OperationName): string | undefined {
  if (operation === 'issueV21') return 'v2.1';
  if (operation === 'issueStateless') return 'stateless';
  if (operation === 'issueShortLived') return 'short-lived';
  return undefined;
}

/**
 * `error.type` of a failure: the error code of ours (`ERR_LINE_TIMEOUT`...), else the
 * error's class name: a bounded set, never a message (a message may quote anything).
 */
export function errorType(error: unknown): string {
  if (error instanceof LineTokenError) return error.code;
  if (error instanceof Error && /^[A-Za-z]{1,64}$/.test(error.name)) return error.name;
  return '_OTHER';
}

/** The attributes of one manager: its family and, unless switched off, its channel id. */
export function managerAttributes(
  family: string,
  channelId: string,
  withChannelId: boolean,
): Attributes {
  return withChannelId
    ? { [ATTR.family]: family, [ATTR.channelId]: channelId }
    : { [ATTR.family]: family };
}
