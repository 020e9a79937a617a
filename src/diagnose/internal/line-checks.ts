// Reads LINE's answers into findings. The kid and secret answers are read together: LINE
// says only "iss and clientId of key do not match" or "Invalid 'client_credentials'", and
// which of the channel id, the kid or the secret is wrong shows only when one of the
// others is known to be right.
import type { ConsolePublicJwk } from '../../assertion/index.js';
import type { IssuedToken } from '../../client/types.js';
import { explainLineFailure } from '../explain.js';
import type { Finding } from '../types.js';
import type { Answer, TokenAnswer } from './line-calls.js';
import { durationText } from '../../internal/duration-text.js';
import { LIVE_TOKEN_LIMIT } from '../../line/facts.js';
import { TOKEN_MANAGER_DEFAULTS } from '../../manager/defaults.js';
import { SEPARATE_STORES_ADVICE } from '../../internal/advice.js';

const CHANNEL_SECRET_SHAPE = /^[0-9a-f]{32}$/;
const COPY_ID = 'copy the Channel ID from Basic settings in the LINE Developers Console';

const ISS_MISMATCH = /iss and clientId of key do not match/i;

function lineSaid(error: { message: string }): string {
  return error.message;
}

/** Whether the secret answer points at a wrong channel id together with the key. */
function channelIdWrong(
  kids: Answer<string[]> | undefined,
  secret: Answer<IssuedToken> | undefined,
) {
  return (
    kids?.kind === 'refused' &&
    ISS_MISMATCH.test(`${kids.error.errorDescription ?? ''} ${kids.error.lineMessage ?? ''}`) &&
    secret?.kind === 'refused'
  );
}

/** The assertion presented to LINE through the key-id listing. */
export function kidFinding(options: {
  channelId: string;
  kid: string;
  kids: Answer<string[]>;
  secret: Answer<IssuedToken> | undefined;
  publicJwk: ConsolePublicJwk | undefined;
}): Finding {
  const { channelId, kid, kids, secret, publicJwk } = options;
  const title = 'assertion key at LINE';
  if (kids.kind === 'ok') {
    return {
      id: 'kid',
      status: 'pass',
      title,
      detail: `kid ${kid} is registered on channel ${channelId} and the key matches it`,
    };
  }
  if (kids.kind === 'unreachable') {
    return { id: 'kid', status: 'skip', title, detail: 'not checked: LINE could not be reached' };
  }
  const jwkData = publicJwk ? { publicJwk } : {};
  const paste = publicJwk ? `: ${JSON.stringify(publicJwk)}` : '';
  if (channelIdWrong(kids, secret)) {
    return {
      id: 'kid',
      status: 'fail',
      title,
      detail: `channel ${channelId} owns neither kid ${kid} nor the channel secret: the channel id is most likely wrong`,
      fix: COPY_ID,
      data: { cause: 'channel-id' },
    };
  }
  const said = `${kids.error.errorDescription ?? ''} ${kids.error.lineMessage ?? ''}`;
  if (ISS_MISMATCH.test(said) && secret?.kind === 'ok') {
    return {
      id: 'kid',
      status: 'fail',
      title,
      detail: `kid ${kid} is registered on another channel, not on channel ${channelId} (the channel secret confirms the channel id)`,
      fix: `register this key's public JWK on channel ${channelId} (Basic settings > Assertion Signing Key) and use the kid the Console answers${paste}`,
      data: { cause: 'kid-of-another-channel', ...jwkData },
    };
  }
  const why = explainLineFailure(kids.error, { channelId, kid });
  if (why === undefined) {
    return {
      id: 'kid',
      status: 'fail',
      title,
      detail: `LINE refused the assertion: ${lineSaid(kids.error)}`,
      fix: 'rerun later; if it persists, quote the request id to LINE support',
      data: { requestId: kids.error.requestId },
    };
  }
  const unknownKid = kids.error.status === 404;
  const badSignature = /Invalid signature/i.test(said);
  return {
    id: 'kid',
    status: 'fail',
    title,
    detail: why.cause,
    fix: unknownKid || badSignature ? `${why.fix}${paste}` : why.fix,
    data: {
      cause: unknownKid
        ? 'kid-not-registered'
        : badSignature
          ? 'key-does-not-match-kid'
          : 'assertion-refused',
      ...(unknownKid || badSignature ? jwkData : {}),
    },
  };
}

/** The channel secret, checked with a stateless issue (the token is dropped at once). */
export function secretFinding(options: {
  channelId: string;
  secret: Answer<IssuedToken>;
  shapeOk: boolean;
  kids: Answer<string[]> | undefined;
}): Finding {
  const { channelId, secret, kids, shapeOk } = options;
  const title = 'channel secret';
  if (secret.kind === 'ok') {
    return {
      id: 'secret',
      status: 'pass',
      title,
      detail: `the secret belongs to channel ${channelId} (checked with a stateless issue, which LINE neither limits nor stores)`,
    };
  }
  if (secret.kind === 'unreachable') {
    return {
      id: 'secret',
      status: 'skip',
      title,
      detail: 'not checked: LINE could not be reached',
    };
  }
  const copy = `copy the Channel secret from channel ${channelId}'s Basic settings in the LINE Developers Console`;
  if (!shapeOk) {
    return {
      id: 'secret',
      status: 'fail',
      title,
      detail:
        'LINE refuses the secret, and it does not look like a channel secret (32 characters 0-9a-f): mistyped, cut short, or another value pasted',
      fix: copy,
      data: { cause: 'secret-malformed' },
    };
  }
  if (channelIdWrong(kids, secret)) {
    return {
      id: 'secret',
      status: 'fail',
      title,
      detail: `LINE refuses channel ${channelId} with this secret, and the key belongs elsewhere too: the channel id is most likely wrong`,
      fix: COPY_ID,
      data: { cause: 'channel-id' },
    };
  }
  if (kids?.kind === 'ok') {
    return {
      id: 'secret',
      status: 'fail',
      title,
      detail: `LINE refuses this secret for channel ${channelId}, whose id the assertion key confirms: it is another channel's secret, or one since reissued`,
      fix: copy,
      data: { cause: 'secret-of-another-channel' },
    };
  }
  return {
    id: 'secret',
    status: 'fail',
    title,
    detail: `LINE refuses channel id ${channelId} with this secret: ${lineSaid(secret.error)}`,
    fix: `check both: ${COPY_ID}, and the Channel secret beside it`,
    data: { cause: 'channel-id-or-secret' },
  };
}

// A channel under one manager (or one fleet sharing a store) holds one token, two while
// it rotates: more live tokens than that mean several holders.
const ONE_HOLDER_TOKENS = 2;

/**
 * Live v2.1 tokens against LINE's 30 and the manager's ceiling (30 less the default
 * headroom), how many a local store accounts for, and whether several holders issue.
 */
export function slotsFinding(kids: string[], storedKeyIds: readonly string[] | undefined): Finding {
  const live = kids.length;
  const title = 'v2.1 token slots';
  const data: Record<string, unknown> = { live, limit: LIVE_TOKEN_LIMIT };
  let store = '';
  if (storedKeyIds !== undefined) {
    const stored = new Set(storedKeyIds);
    const accounted = kids.filter((k) => stored.has(k)).length;
    data['accounted'] = accounted;
    store = `; the store holds ${accounted} of them`;
  }
  const others =
    data['accounted'] !== undefined
      ? ` (${live - (data['accounted'] as number)} no store here knows of)`
      : '';
  const ceiling = LIVE_TOKEN_LIMIT - TOKEN_MANAGER_DEFAULTS.tokenLimit.headroom;
  if (live >= ceiling) {
    return {
      id: 'slots',
      status: 'fail',
      title,
      detail: `${live} of ${LIVE_TOKEN_LIMIT} live v2.1 tokens${store}${others}: ${
        live >= LIVE_TOKEN_LIMIT
          ? 'LINE refuses the next v2.1 issue'
          : `a token manager issues no more at ${ceiling} (LINE's limit less "tokenLimit.headroom")`
      }`,
      fix: `revoke the v2.1 tokens you no longer use (line-token revoke --type v2.1 TOKEN), or wait for some to expire; if ${SEPARATE_STORES_ADVICE}`,
      data,
    };
  }
  if (live > ONE_HOLDER_TOKENS) {
    return {
      id: 'slots',
      status: 'warn',
      title,
      detail: `${live} of ${LIVE_TOKEN_LIMIT} live v2.1 tokens${store}${others}: more than one holder issues for this channel (a manager holds 1, 2 while it rotates)`,
      fix: `if ${SEPARATE_STORES_ADVICE}; tokens left by trying things out expire on their own`,
      data,
    };
  }
  return {
    id: 'slots',
    status: 'pass',
    title,
    detail: `${live} of ${LIVE_TOKEN_LIMIT} live v2.1 tokens${store}`,
    data,
  };
}

/** A token's family, channel and remaining life. */
export function tokenFinding(channelId: string, answer: TokenAnswer): Finding {
  const title = 'token';
  if (answer.kind === 'unreachable') {
    return { id: 'token', status: 'skip', title, detail: 'not checked: LINE could not be reached' };
  }
  if (answer.kind === 'refused') {
    const said = `${answer.error.errorDescription ?? ''} ${answer.error.lineMessage ?? ''}`;
    const issue = 'issue a new one (line-token issue), or let a TokenManager keep one fresh';
    if (/expired/i.test(said)) {
      return {
        id: 'token',
        status: 'fail',
        title,
        detail: 'LINE says this v2.1 token has expired',
        fix: issue,
        data: { family: 'v2.1', cause: 'expired' },
      };
    }
    if (/revoked/i.test(said)) {
      return {
        id: 'token',
        status: 'fail',
        title,
        detail: 'LINE says this v2.1 token was revoked',
        fix: `${issue}; find who revokes it (line-token revoke, a manager's close())`,
        data: { family: 'v2.1', cause: 'revoked' },
      };
    }
    return {
      id: 'token',
      status: 'fail',
      title,
      detail: `LINE does not accept this token (unknown, expired or revoked; LINE does not say which): ${answer.error.message}`,
      fix: issue,
      data: { cause: 'invalid' },
    };
  }
  const { family, value } = answer;
  const data = { family, clientId: value.clientId, expiresIn: value.expiresIn };
  if (value.clientId !== channelId) {
    return {
      id: 'token',
      status: 'fail',
      title,
      detail: `this ${family} token belongs to channel ${value.clientId}, not ${channelId}`,
      fix: `use a token of channel ${channelId}, or check the channel id`,
      data: { ...data, cause: 'other-channel' },
    };
  }
  const life =
    family === 'long-lived' ? 'does not expire' : `expires in ${durationText(value.expiresIn)}`;
  return {
    id: 'token',
    status: 'pass',
    title,
    detail: `a live ${family} token of channel ${channelId}; it ${life}`,
    data,
  };
}

/** Whether a secret has the shape of LINE's channel secrets. */
export function secretShapeOk(secret: string): boolean {
  return CHANNEL_SECRET_SHAPE.test(secret);
}
