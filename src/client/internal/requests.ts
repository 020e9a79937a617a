/**
 * What each operation puts on the wire: its arguments checked (before anything is sent)
 * and turned into the exact request of the spec, with the secrets it carries so that
 * errors can redact them. The client class only adds the sending, retries and parsing.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import { ASSERTION_TYPE, GRANT_TYPE } from '../../line/facts.js';
import type {
  AssertionCredentials,
  ChannelCredentials,
  OperationName,
  StatelessCredentials,
} from '../types.js';
import type { OperationRequest } from './transport.js';
import { requireParams, requireString } from './validate.js';

/** A checked request and the raw secrets it carries. */
export interface PreparedRequest {
  readonly request: OperationRequest;
  readonly secrets: readonly string[];
}

/** A request builder for one HTTP method. */
const prepare =
  (method: OperationRequest['method']) =>
  (
    operation: OperationName,
    path: string,
    params: Record<string, string>,
    secrets: readonly string[],
  ): PreparedRequest => ({ request: { operation, method, path, params }, secrets });

const post = prepare('POST');
const get = prepare('GET');

/** A `client_credentials` form from the channel id and secret (short-lived, stateless). */
function secretGrant(op: OperationName, path: string, p: Record<string, unknown>): PreparedRequest {
  const channelId = requireString(p, 'channelId', op);
  const channelSecret = requireString(p, 'channelSecret', op);
  return post(
    op,
    path,
    { grant_type: GRANT_TYPE, client_id: channelId, client_secret: channelSecret },
    [channelSecret],
  );
}

/** A `client_credentials` form from a JWT assertion (v2.1, stateless). */
function assertionGrant(op: OperationName, path: string, assertion: string): PreparedRequest {
  return post(
    op,
    path,
    { grant_type: GRANT_TYPE, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion },
    [assertion],
  );
}

/** `POST /v2/oauth/accessToken` */
export function issueShortLivedRequest(params: ChannelCredentials): PreparedRequest {
  const op = 'issueShortLived';
  return secretGrant(op, '/v2/oauth/accessToken', requireParams(params, op));
}

/** `POST /v2/oauth/verify`, `POST /v2/oauth/revoke` and `GET /oauth2/v2.1/verify`. */
export function accessTokenRequest(
  op: 'verify' | 'revoke' | 'verifyV21',
  params: { accessToken: string },
): PreparedRequest {
  const accessToken = requireString(requireParams(params, op), 'accessToken', op);
  const fields = { access_token: accessToken };
  if (op === 'verifyV21') return get(op, '/oauth2/v2.1/verify', fields, [accessToken]);
  return post(op, op === 'verify' ? '/v2/oauth/verify' : '/v2/oauth/revoke', fields, [accessToken]);
}

/** `POST /oauth2/v2.1/token` */
export function issueV21Request(params: AssertionCredentials): PreparedRequest {
  const op = 'issueV21';
  const assertion = requireString(requireParams(params, op), 'assertion', op);
  return assertionGrant(op, '/oauth2/v2.1/token', assertion);
}

/** `POST /oauth2/v2.1/revoke` */
export function revokeV21Request(
  params: ChannelCredentials & { accessToken: string },
): PreparedRequest {
  const op = 'revokeV21';
  const p = requireParams(params, op);
  const channelId = requireString(p, 'channelId', op);
  const channelSecret = requireString(p, 'channelSecret', op);
  const accessToken = requireString(p, 'accessToken', op);
  return post(
    op,
    '/oauth2/v2.1/revoke',
    { client_id: channelId, client_secret: channelSecret, access_token: accessToken },
    [channelSecret, accessToken],
  );
}

/** `GET /oauth2/v2.1/tokens/kid` */
export function getValidKeyIdsRequest(params: AssertionCredentials): PreparedRequest {
  const op = 'getValidKeyIds';
  const assertion = requireString(requireParams(params, op), 'assertion', op);
  return get(
    op,
    '/oauth2/v2.1/tokens/kid',
    { client_assertion_type: ASSERTION_TYPE, client_assertion: assertion },
    [assertion],
  );
}

/** `POST /oauth2/v3/token`, from either the channel id and secret or an assertion. */
export function issueStatelessRequest(params: StatelessCredentials): PreparedRequest {
  const op = 'issueStateless';
  const p = requireParams(params, op);
  const bySecret = p['channelId'] !== undefined || p['channelSecret'] !== undefined;
  const byAssertion = p['assertion'] !== undefined;
  if (bySecret === byAssertion) {
    throw new InvalidArgumentError(
      'params',
      `${op}: pass either { channelId, channelSecret } or { assertion }, ${bySecret ? 'not both' : 'got neither'}`,
    );
  }
  if (byAssertion) {
    return assertionGrant(op, '/oauth2/v3/token', requireString(p, 'assertion', op));
  }
  return secretGrant(op, '/oauth2/v3/token', p);
}
