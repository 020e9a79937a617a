/**
 * {@link TokenManager}: one call that returns a valid channel access token, cheaply,
 * forever.
 *
 * @module
 */
import { ChannelAccessTokenClient } from '../client/client.js';
import { InvalidArgumentError } from '../errors.js';
import { boolean, optionNames, readOptions, type OptionsSpec } from '../internal/options-spec.js';
import { invalidOption, optionsObject, rejectUnknownOptions } from '../internal/validate.js';
import { createIssuer, staticTokenOf } from './internal/issuer.js';
import { normalizeSettings, warnerOf, type Settings } from './internal/options.js';
import { Refresher } from './internal/refresher.js';
import { StaticSource } from './internal/static-source.js';
import { StoreGate } from './internal/store-gate.js';
import { MemoryTokenStore } from './memory-store.js';
import type { TokenStore } from './store.js';
import type { TokenManagerStatus } from './types.js';
import type { TokenManagerOptions } from './options.js';

/** Options of {@link TokenManager.getToken}. */
export interface GetTokenOptions {
  /**
   * Stops this caller's wait (not the shared refresh) when aborted.
   *
   * @defaultValue none
   */
  signal?: AbortSignal;
}

/** Options of {@link TokenManager.invalidate}. */
export interface InvalidateOptions {
  /**
   * Ask LINE whether the token is still valid before replacing it: a 401 from a gateway or
   * proxy in front of the Messaging API then costs no new token. `false` replaces it at
   * once (a token you know is compromised, or LINE was asked already).
   *
   * @defaultValue true
   */
  verify?: boolean;
}

// Read by hand: getToken() is the hot path, and most calls pass no options at all.
const GET_TOKEN_OPTION_NAMES = optionNames<GetTokenOptions>({ signal: true });

/**
 * The signal of getToken()'s options, which must be an object with no unknown key; read
 * alike for a manager and for a registry's token table. Internal.
 *
 * @throws {@link InvalidArgumentError} when they are not.
 */
export function getTokenSignal(options: GetTokenOptions | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined;
  const o = optionsObject('getToken()', options);
  rejectUnknownOptions(o, GET_TOKEN_OPTION_NAMES, 'getToken()');
  const signal = o['signal'];
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    invalidOption('signal', 'an AbortSignal', signal);
  }
  return signal;
}

/** The reader of each option of `invalidate()`; internal. */
export const INVALIDATE_SPEC = {
  verify: boolean(true),
} satisfies OptionsSpec<InvalidateOptions>;

const CLIENT_METHODS = [
  'issueShortLived',
  'revoke',
  'issueV21',
  'revokeV21',
  'getValidKeyIds',
  'issueStateless',
];

/** `store` checked to be a {@link TokenStore} (the registry checks its shared one alike). */
export function checkStore(store: unknown): TokenStore {
  const s = store as Record<string, unknown> | null;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.get !== 'function' ||
    typeof s.set !== 'function' ||
    typeof s.delete !== 'function'
  ) {
    invalidOption('store', 'a TokenStore (an object with get, set and delete)', store);
  }
  return store as TokenStore;
}

/** The client a manager (or the registry's compact engine) issues with, from the options. */
export function checkClient(
  options: TokenManagerOptions,
  { now, maxIssueTimeoutMs: maxTimeoutMs, telemetry }: Settings,
): ChannelAccessTokenClient {
  if (options.client === undefined) {
    // The manager retries on its own schedule while serving the current token, so the
    // client's own retries (which sleep in real time) are off unless asked for. The
    // manager times each call itself (an issue gets more time after one timed out), so the
    // client's own timeout is only the backstop: the longest an issue may be given.
    return new ChannelAccessTokenClient({
      retry: false,
      now,
      ...(telemetry === undefined ? {} : { telemetry }),
      ...options.clientOptions,
      timeoutMs: maxTimeoutMs,
    });
  }
  if (options.clientOptions !== undefined) {
    throw new InvalidArgumentError(
      'clientOptions',
      'pass either "client" or "clientOptions", not both',
    );
  }
  const c = options.client as unknown as Record<string, unknown>;
  if (
    typeof c !== 'object' ||
    c === null ||
    !CLIENT_METHODS.every((m) => typeof c[m] === 'function')
  ) {
    invalidOption('client', 'a ChannelAccessTokenClient', options.client);
  }
  return options.client;
}

/**
 * Keeps one channel's token valid: `getToken()` answers from memory until the token
 * enters its refresh window, then one background refresh replaces it while callers keep
 * getting the current one. Transient failures back off and retry; permanent ones are not
 * hammered and surface as a {@link TokenUnavailableError} saying what to do. With a
 * shared store (file, Redis) a restart or a fleet reuses the stored token, and only the
 * holder of the store's lock issues. Superseded v2.1 and short-lived tokens are revoked
 * after a grace period.
 *
 * @example
 * ```ts
 * const manager = new TokenManager({
 *   strategy: { type: 'v2.1', channelId, kid, privateKey, tokenExpSec: 86_400, channelSecret },
 * });
 * const token = await manager.getToken();
 * // After the Messaging API answered 401 for it:
 * await manager.invalidate(token);
 * ```
 */
export class TokenManager {
  readonly #source: Refresher | StaticSource;

  /** @throws {@link InvalidArgumentError} for a bad option or strategy; the message names it. */
  constructor(options: TokenManagerOptions) {
    const settings = normalizeSettings(options);
    const staticToken = staticTokenOf(options.strategy);
    if (staticToken !== undefined) {
      this.#source = new StaticSource(staticToken, settings);
      return;
    }
    const issuer = createIssuer(
      options.strategy,
      checkClient(options, settings),
      settings.now,
      settings,
    );
    const given =
      options.store === undefined
        ? new MemoryTokenStore({ now: settings.now })
        : checkStore(options.store);
    const store = settings.telemetry?.store(given) ?? given;
    const key = options.storeKey ?? `${issuer.type}:${issuer.channelId}`;
    if (typeof key !== 'string' || key === '') {
      invalidOption('storeKey', 'a non-empty string', key);
    }
    this.#source = new Refresher(
      issuer,
      new StoreGate(store, key, settings, warnerOf(settings), issuer),
      settings,
    );
  }

  /**
   * A valid token. From memory while the cached one is before its refresh time (no I/O,
   * no signing); inside the refresh window the current token while one background refresh
   * runs; with no valid token, after the refresh.
   *
   * @throws {@link TokenUnavailableError} when no valid token can be had; `cause` is the
   *   last failure, `permanent` says whether retrying later can help.
   */
  getToken(options?: GetTokenOptions): Promise<string> {
    if (options === undefined) return this.#source.getToken(undefined);
    let signal: AbortSignal | undefined;
    try {
      signal = getTokenSignal(options);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#source.getToken(signal);
  }

  /**
   * Hands back a token the Messaging API answered 401 for. A 401 is evidence, not a
   * verdict: the manager first asks LINE (once per token, however many callers report it)
   * and keeps a token LINE still accepts, warning `UNAUTHORIZED_BUT_VALID`. A token LINE
   * refuses is no longer handed out and is replaced by one refresh (after a pause, with
   * `TOKEN_REVOKED_EARLY`, when tokens keep being refused soon after their issue). A token
   * already superseded is ignored. Resolves when that has ended (a failed refresh surfaces
   * in `getToken()`).
   *
   * @throws {@link InvalidArgumentError} when `token` is not a non-empty string.
   */
  invalidate(token: string, options?: InvalidateOptions): Promise<void> {
    if (typeof token !== 'string' || token === '') {
      return Promise.reject(
        new InvalidArgumentError('token', 'invalidate() needs the access token that was refused'),
      );
    }
    let verify: boolean;
    try {
      // A misspelt `verfy: false` must not silently mean "verify".
      ({ verify } = readOptions(INVALIDATE_SPEC, options, { where: 'invalidate()' }));
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#source.invalidate(token, verify);
  }

  /** A snapshot for health checks and metrics; it never holds the token. */
  status(): TokenManagerStatus {
    return this.#source.status();
  }

  /** Resolves once no refresh and no revocation request is running (tests, graceful shutdown). */
  idle(): Promise<void> {
    return this.#source.idle();
  }

  /**
   * Stops the timers, aborts a refresh in flight, revokes at once the superseded tokens
   * still in their grace period and, under `revoke.onClose`, the current token too, then
   * resolves when all of that is done. `revoke.onClose` defaults to `true` without a
   * `store` (nobody can use that token afterwards) and to `false` with one (the store may
   * hand it to the next process or another replica). A manager serving a static token
   * revokes nothing. `getToken()` rejects afterwards with a permanent
   * {@link TokenUnavailableError}; calling `close()` again returns the same promise.
   */
  close(): Promise<void> {
    return this.#source.close();
  }
}
