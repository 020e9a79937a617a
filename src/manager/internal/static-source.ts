/**
 * The `static` strategy: a long-lived token from the Console, handed out as is until it
 * expires or the Messaging API refuses it, so an app can use one interface whatever its
 * token. Nothing is ever issued.
 *
 * @module
 */
import { TokenUnavailableError } from '../../errors.js';
import type { TokenManagerStatus } from '../types.js';
import type { StaticToken } from './issuer.js';
import type { Settings } from './options.js';
import { closedError } from './outcome.js';

/** A token passed through. */
export class StaticSource {
  #token: string;
  #serveUntil: number;
  readonly #now: () => number;
  readonly #static: StaticToken;
  #invalidated = false;
  #invalidatedAt = 0;
  #closed = false;

  constructor(token: StaticToken, settings: Settings) {
    this.#static = token;
    this.#now = settings.now;
    this.#token = token.accessToken;
    this.#serveUntil = token.expiresAt - settings.window.expiryMarginMs;
  }

  getToken(): Promise<string> {
    if (this.#now() < this.#serveUntil) return Promise.resolve(this.#token);
    return Promise.reject(this.#unavailable());
  }

  #unavailable(): TokenUnavailableError {
    if (this.#closed) return closedError();
    const hint =
      'Issue a new long-lived token in the LINE Developers Console (Messaging API tab) and pass it in, or use an issuing strategy (v2.1, stateless, short-lived)';
    return new TokenUnavailableError(
      this.#invalidated
        ? 'the static token was refused by the Messaging API (reported through invalidate())'
        : 'the static token has expired',
      { permanent: true, hint },
    );
  }

  invalidate(token: string): Promise<void> {
    // Nothing can replace it: from now on getToken() says so instead of handing it out.
    if (token === this.#static.accessToken && !this.#invalidated) {
      this.#invalidated = true;
      this.#invalidatedAt = this.#now();
      this.#serveUntil = Number.NEGATIVE_INFINITY;
    }
    return Promise.resolve();
  }

  status(): TokenManagerStatus {
    const usable = this.#now() < this.#serveUntil;
    const expiresAt = Number.isFinite(this.#static.expiresAt) ? this.#static.expiresAt : undefined;
    return {
      type: 'static',
      channelId: this.#static.channelId,
      hasToken: usable,
      keyId: undefined,
      issuedAt: undefined,
      expiresAt,
      refreshAt: undefined,
      refreshing: false,
      nextAttemptAt: undefined,
      degraded: false,
      stopped: this.#invalidated,
      closed: this.#closed,
      lastError: this.#invalidated
        ? {
            code: 'ERR_LINE_TOKEN_UNAVAILABLE',
            message: this.#unavailable().message,
            at: this.#invalidatedAt,
          }
        : undefined,
      counts: {
        issued: 0,
        adopted: 0,
        refreshes: 0,
        failures: 0,
        revocations: 0,
        invalidations: this.#invalidated ? 1 : 0,
      },
    };
  }

  idle(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#serveUntil = Number.NEGATIVE_INFINITY;
    this.#token = '';
    return Promise.resolve();
  }
}
