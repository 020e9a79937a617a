/**
 * A faithful local emulator of LINE's Channel Access Token API (`line-token/emulator`).
 * Node.js only. It answers the eight operations the way api.line.me does
 * (see docs/emulator.md), with a virtual clock, fault injection, rate limits and an admin
 * API under `/__emulator/`, and serves a local Messaging API (`/v2/bot/info`,
 * `/v2/bot/message/push|reply|multicast|broadcast`, profiles, followers, quota) that checks
 * bearer tokens against its own, validates messages as LINE does, honours retry keys and
 * reply tokens, and sends signed webhooks to a bot (docs/local-line.md).
 *
 * @module line-token/emulator
 */
export { createEmulatorAdmin } from './admin-client.js';
export { ADMIN_PREFIX } from './admin-routes.js';
export { MAX_BODY_BYTES } from './internal/http.js';
export {
  MAX_JSON_DEPTH,
  MAX_MESSAGES_PER_REQUEST,
  MAX_MULTICAST_RECIPIENTS,
  MAX_TEXT_LENGTH,
} from './internal/message-validation.js';
export { MAX_MESSAGING_BODY_BYTES } from './messaging.js';
export { REPLY_TOKEN_LIFETIME_MS } from './reply-tokens.js';
export { RETRY_KEY_LIFETIME_MS } from './retry-keys.js';
export { webhookSignature, WEBHOOK_TIMEOUT_MS } from './webhooks.js';
export { ASSERTION_TYPE, SCOPE_V2, SCOPE_V21, STATELESS_EXPIRES_IN_SEC } from './operations.js';
export {
  BROADCAST_RATE_PER_HOUR,
  DEFAULT_RATE_PER_SEC,
  MULTICAST_RATE_PER_SEC,
  SHORT_LIVED_ISSUE_RATE_PER_SEC,
} from './rate-limit.js';
export {
  LIVE_TOKEN_LIMIT,
  LONG_LIVED_NOMINAL_SEC,
  MAX_LONG_LIVED_GRACE_SEC,
  SHORT_LIVED_EXPIRES_IN_SEC,
} from './state.js';
export { EMULATOR_DEFAULTS } from './options.js';
export { startEmulator } from './start.js';
export type * from './types.js';
