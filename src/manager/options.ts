/**
 * {@link TokenManagerOptions}: the few options most users set stay at the top level
 * (`strategy`, `store`, the hooks); the tuning knobs are grouped by what they tune, as ky
 * groups `retry` and `hooks` (the groups are in option-groups.ts). Every default is in
 * `TOKEN_MANAGER_DEFAULTS`, shaped alike.
 *
 * @module
 */
import type { ChannelAccessTokenClient } from '../client/client.js';
import type { ClientOptions } from '../client/options.js';
import type {
  ManagerLockOptions,
  ManagerRefreshOptions,
  ManagerRetryOptions,
  ManagerRevokeOptions,
  ManagerTokenLimitOptions,
} from './option-groups.js';
import type { TokenStore } from './store.js';
import type { Telemetry } from '../telemetry/types.js';
import type {
  ManagerTimers,
  RefreshErrorEvent,
  TokenIssuedEvent,
  TokenManagerWarning,
  TokenRevokedEvent,
  TokenStrategy,
} from './types.js';

/**
 * Options of {@link TokenManager}: only `strategy` is required. Checked once, at
 * construction: an unknown key is refused (with the closest known one), and so is a name
 * from before 0.2 (saying where it moved). Durations name their unit; every default is in
 * `TOKEN_MANAGER_DEFAULTS`.
 *
 * @example
 * ```ts
 * const manager = new TokenManager({
 *   strategy: { type: 'stateless', channelId, channelSecret },
 *   refresh: { keepWarm: true },
 *   revoke: { graceMs: 30_000 },
 *   onRefreshError: ({ error }) => console.warn(String(error)),
 * });
 * const token = await manager.getToken();
 * ```
 */
export interface TokenManagerOptions {
  /** How tokens are obtained. */
  strategy: TokenStrategy;
  /**
   * The API client.
   *
   * @defaultValue a new one from `clientOptions`
   */
  client?: ChannelAccessTokenClient;
  /**
   * Options for the default client. Its `retry` defaults to `false` here: the manager
   * retries on its own schedule while it serves the current token.
   *
   * @defaultValue `{ retry: false }`
   */
  clientOptions?: ClientOptions;
  /**
   * Where the token is kept.
   *
   * @defaultValue a private {@link MemoryTokenStore}
   */
  store?: TokenStore;
  /**
   * The store key.
   *
   * @defaultValue `<type>:<channelId>`
   */
  storeKey?: string;
  /**
   * The longest a single store call may take before the store is treated as down, ms.
   *
   * @defaultValue 5000
   */
  storeTimeoutMs?: number;
  /**
   * When a token is replaced.
   *
   * @defaultValue each option's default, as in `TOKEN_MANAGER_DEFAULTS.refresh`
   */
  refresh?: ManagerRefreshOptions;
  /**
   * Retries, backoff and giving up.
   *
   * @defaultValue each option's default, as in `TOKEN_MANAGER_DEFAULTS.retry`
   */
  retry?: ManagerRetryOptions;
  /**
   * LINE's 30-token limit on live v2.1 tokens.
   *
   * @defaultValue each option's default, as in `TOKEN_MANAGER_DEFAULTS.tokenLimit`
   */
  tokenLimit?: ManagerTokenLimitOptions;
  /**
   * Revoking superseded tokens, and the current one on `close()`.
   *
   * @defaultValue each option's default, as in `TOKEN_MANAGER_DEFAULTS.revoke`
   */
  revoke?: ManagerRevokeOptions;
  /**
   * The store's lock, for stores that lock.
   *
   * @defaultValue each option's default, as in `TOKEN_MANAGER_DEFAULTS.lock`
   */
  lock?: ManagerLockOptions;
  /**
   * After each token this manager issued.
   *
   * @defaultValue none
   */
  onTokenIssued?: (event: TokenIssuedEvent) => void;
  /**
   * After each failed attempt.
   *
   * @defaultValue none
   */
  onRefreshError?: (event: RefreshErrorEvent) => void;
  /**
   * After each revocation.
   *
   * @defaultValue none
   */
  onRevoked?: (event: TokenRevokedEvent) => void;
  /**
   * Non-fatal trouble: no channel secret to revoke with, the store down or back, near the
   * limit.
   *
   * @defaultValue none
   */
  onWarning?: (warning: TokenManagerWarning) => void;
  /**
   * Where refreshes, calls to LINE and store failures are reported (spans and metrics):
   * `openTelemetry()` of `line-token/opentelemetry`. Passed on to the client the manager
   * builds (unless `clientOptions.telemetry` says otherwise); a `client` of your own takes
   * it in its own options. See docs/observability.md.
   *
   * @defaultValue none: no telemetry work at all
   */
  telemetry?: Telemetry;
  /**
   * The system clock, epoch ms. The manager times tokens on `monotonicNow` anchored to this
   * clock once, so a clock that steps does not move them.
   *
   * @defaultValue `Date.now`
   */
  now?: () => number;
  /**
   * A monotonic clock, ms from any origin. When only `now` is given (a virtual clock in
   * tests), `now` alone times tokens.
   *
   * @defaultValue `performance.now` when `now` is not given
   */
  monotonicNow?: () => number;
  /**
   * Timers for refresh, backoff and revocation schedules; background schedules
   * (keep-warm, retries, revocations) are unref'd, so they never keep a process alive.
   *
   * @defaultValue the global `setTimeout` and `clearTimeout`
   */
  timers?: ManagerTimers;
  /**
   * A source of randomness in [0, 1) for jitter.
   *
   * @defaultValue `Math.random`
   */
  random?: () => number;
}
