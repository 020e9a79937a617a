/**
 * The public shapes of the Channel Access Token API client: parameters and results of
 * the eight operations, and the transport options. Field names are camelCase here; the
 * client maps them to the spec's snake_case names on the wire.
 *
 * @module
 */

/** A `fetch`-shaped function, so tests and edge runtimes can inject their own. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<Response>;

/** Options accepted by every operation. */
export interface RequestOptions {
  /**
   * Aborts the request (combined with the client's `timeoutMs`).
   *
   * @defaultValue none
   */
  signal?: AbortSignal;
}

/** A freshly issued token, with its absolute expiry. */
export interface IssuedToken {
  /** The bearer token. Treat it as a secret. */
  accessToken: string;
  /** Always `Bearer`. */
  tokenType: string;
  /** Lifetime in seconds, as LINE sent it. */
  expiresIn: number;
  /**
   * Expiry as epoch milliseconds, counted from the moment the request was sent, so it is
   * never later than LINE's own expiry, whatever the latency.
   */
  expiresAt: number;
}

/** A v2.1 token, which also carries LINE's `key_id` (listed by `getValidKeyIds`). */
export interface IssuedTokenV21 extends IssuedToken {
  /** LINE's id for this token (not the assertion key's `kid`). */
  keyId: string;
}

/** The answer of a verify operation. */
export interface TokenVerification {
  /** The channel the token belongs to. */
  clientId: string;
  /** Seconds left, as LINE sent it. */
  expiresIn: number;
  /** Expiry as epoch milliseconds, counted from when the request was sent. */
  expiresAt: number;
  /** Permissions granted to the token, when LINE says. */
  scope?: string;
}

/** Channel id and secret, as shown in the LINE Developers Console. */
export interface ChannelCredentials {
  /** The channel ID. */
  channelId: string;
  /** The channel secret. */
  channelSecret: string;
}

/** A signed JWT assertion (see `signAssertion`). */
export interface AssertionCredentials {
  /** The compact JWS. */
  assertion: string;
}

/** Either way of issuing a stateless token. */
export type StatelessCredentials = ChannelCredentials | AssertionCredentials;

/** The eight operations, by our method name; used in errors and retry decisions. */
export type OperationName =
  | 'issueShortLived'
  | 'verify'
  | 'revoke'
  | 'issueV21'
  | 'verifyV21'
  | 'revokeV21'
  | 'getValidKeyIds'
  | 'issueStateless';
