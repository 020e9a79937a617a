/**
 * The typed client of LINE's Channel Access Token API: one method per operation of
 * the OpenAPI file, each sending exactly the documented request.
 *
 * @module
 */
import type { ClientOptions } from './options.js';
import { normalizeClientOptions, type NormalizedClientOptions } from './internal/normalize.js';
import { secretForms } from '../internal/redact.js';
import {
  apiError,
  issuedToken,
  issuedTokenV21,
  keyIds,
  verification,
  type RawResponse,
} from './internal/responses.js';
import { withRetries } from './internal/retry.js';
import {
  accessTokenRequest,
  getValidKeyIdsRequest,
  issueShortLivedRequest,
  issueStatelessRequest,
  issueV21Request,
  revokeV21Request,
  type PreparedRequest,
} from './internal/requests.js';
import { sendOnce } from './internal/transport.js';
import { sendObserved } from '../telemetry/observe.js';
import { requireRequestOptions } from './internal/validate.js';
import type {
  AssertionCredentials,
  ChannelCredentials,
  IssuedToken,
  IssuedTokenV21,
  OperationName,
  RequestOptions,
  StatelessCredentials,
  TokenVerification,
} from './types.js';

const TRANSPORT_KEY = Symbol.for('line-token.transport');

/**
 * A client for the eight operations of LINE's Channel Access Token API. Options are
 * checked once, here; every method checks its arguments before sending anything and
 * throws only {@link LineTokenError}s (or the caller's own abort reason).
 *
 * Errors: {@link LineApiError} (LINE answered with an error status),
 * {@link LineNetworkError}, {@link LineTimeoutError}, {@link LineInvalidResponseError}
 * (a 2xx that is not the documented shape), {@link InvalidArgumentError}.
 *
 * @example
 * ```ts
 * const client = new ChannelAccessTokenClient()
 * const assertion = await signAssertion({ channelId, kid, privateKey, tokenExpSec: 86_400 })
 * const { accessToken, keyId, expiresAt } = await client.issueV21({ assertion })
 * ```
 */
export class ChannelAccessTokenClient {
  readonly #config: NormalizedClientOptions;

  /** @throws {@link InvalidArgumentError} when an option is invalid; the message names it. */
  constructor(options?: ClientOptions) {
    this.#config = normalizeClientOptions(options);
    // Which wire this client sends on ('node:http' or 'fetch'): for the runtime tests and
    // for debugging, outside the typed API and hidden from enumeration.
    Object.defineProperty(this, TRANSPORT_KEY, { value: this.#config.transport });
  }

  /**
   * Issues a short-lived token (30 days) from the channel id and secret.
   * `POST /v2/oauth/accessToken`. Not retried on 5xx or timeouts by default: a repeat
   * that reaches LINE can evict the channel's oldest live token (see `retry.operations`).
   *
   * @example
   * ```ts
   * const { accessToken } = await client.issueShortLived({ channelId, channelSecret })
   * ```
   */
  async issueShortLived(
    params: ChannelCredentials,
    options?: RequestOptions,
  ): Promise<IssuedToken> {
    return this.#call(issueShortLivedRequest(params), options, issuedToken);
  }

  /**
   * Verifies a short-lived or long-lived token. `POST /v2/oauth/verify`. An unknown,
   * expired or revoked token is a {@link LineApiError} (400 `invalid_request`).
   *
   * @example
   * ```ts
   * const { clientId, expiresAt } = await client.verify({ accessToken })
   * ```
   */
  async verify(
    params: { accessToken: string },
    options?: RequestOptions,
  ): Promise<TokenVerification> {
    return this.#call(accessTokenRequest('verify', params), options, verification);
  }

  /**
   * Revokes a short-lived or long-lived token. `POST /v2/oauth/revoke`. LINE answers
   * 200 for an unknown token too, so success does not prove the token existed.
   */
  async revoke(params: { accessToken: string }, options?: RequestOptions): Promise<void> {
    await this.#call(accessTokenRequest('revoke', params), options, () => undefined);
  }

  /**
   * Issues a v2.1 token from a signed JWT assertion (see `signAssertion`; its
   * `token_exp` sets the lifetime, up to 30 days). `POST /oauth2/v2.1/token`. A channel
   * holds at most 30 live v2.1 tokens, so 5xx and timeouts are not retried by default:
   * a repeat whose first attempt reached LINE burns a slot (see `retry.operations`).
   *
   * @example
   * ```ts
   * const { accessToken, keyId, expiresAt } = await client.issueV21({ assertion })
   * ```
   */
  async issueV21(params: AssertionCredentials, options?: RequestOptions): Promise<IssuedTokenV21> {
    return this.#call(issueV21Request(params), options, issuedTokenV21);
  }

  /**
   * Verifies a v2.1 token. `GET /oauth2/v2.1/verify?access_token=…`. The token travels
   * in the query string, as the spec requires; it never appears in our errors.
   */
  async verifyV21(
    params: { accessToken: string },
    options?: RequestOptions,
  ): Promise<TokenVerification> {
    return this.#call(accessTokenRequest('verifyV21', params), options, verification);
  }

  /**
   * Revokes a v2.1 token; needs the channel id and secret. `POST /oauth2/v2.1/revoke`.
   * LINE answers 200 for an unknown, expired or already revoked token too.
   */
  async revokeV21(
    params: ChannelCredentials & { accessToken: string },
    options?: RequestOptions,
  ): Promise<void> {
    await this.#call(revokeV21Request(params), options, () => undefined);
  }

  /**
   * Lists the `key_id` of every live v2.1 token of the assertion's channel.
   * `GET /oauth2/v2.1/tokens/kid`. The assertion needs no `token_exp`.
   *
   * @example
   * ```ts
   * const kids = await client.getValidKeyIds({ assertion: await signer.sign({ tokenExpSec: null }) })
   * ```
   */
  async getValidKeyIds(params: AssertionCredentials, options?: RequestOptions): Promise<string[]> {
    return this.#call(getValidKeyIdsRequest(params), options, keyIds);
  }

  /**
   * Issues a stateless token (15 minutes, never counted against a limit, not revocable)
   * either from `{ channelId, channelSecret }` or from `{ assertion }`.
   * `POST /oauth2/v3/token`. Retried by default: a repeat costs nothing on LINE's side.
   *
   * @example
   * ```ts
   * const { accessToken } = await client.issueStateless({ channelId, channelSecret })
   * ```
   */
  async issueStateless(
    params: StatelessCredentials,
    options?: RequestOptions,
  ): Promise<IssuedToken> {
    return this.#call(issueStatelessRequest(params), options, issuedToken);
  }

  async #call<T>(
    { request, secrets }: PreparedRequest,
    options: RequestOptions | undefined,
    parse: (res: RawResponse) => T,
  ): Promise<T> {
    const operation: OperationName = request.operation;
    const signal = requireRequestOptions(options, operation);
    const config = this.#config;
    let resends = 0;
    return withRetries(config.retry, operation, signal, async () => {
      const res = await sendObserved(config.telemetry, config.baseUrl, request, resends++, () =>
        sendOnce(config, request, signal, secrets),
      );
      // The secrets' encoded forms are worked out here, on the error path only: a
      // successful call never needs them (they were 2-3% of a verify's CPU).
      if (res.status < 200 || res.status > 299) {
        throw apiError(res, config.now(), secretForms(secrets));
      }
      return parse(res);
    });
  }
}
