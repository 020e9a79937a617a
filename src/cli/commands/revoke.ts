/**
 * `line-token revoke`: revokes a token. v2.1 tokens need the channel id and secret
 * (LINE's rule); short- and long-lived ones need only the token.
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
  CREDENTIAL_OPTIONS,
  ENV,
  readTokenArgument,
  requireChannelId,
  requireChannelSecret,
} from '../credentials.js';
import { createClient, looksLikeV21, parseType } from '../internal/client.js';
import { formatExpiry } from '../internal/format.js';
import { guessVerdict, reasonOf } from '../internal/verdict.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

const { 'channel-id': channelId, 'channel-secret': channelSecret } = CREDENTIAL_OPTIONS;

const REVOCABLE = ['v2.1', 'short-lived', 'long-lived'] as const;
type RevocableType = (typeof REVOCABLE)[number];

/** Why a stateless token is refused: LINE offers no revoke for them. */
const STATELESS = 'stateless tokens cannot be revoked (LINE has no revoke for them)';

/** `line-token revoke TOKEN --type v2.1|short-lived|long-lived [credentials]`. */
export const revokeCommand: Command = {
  name: 'revoke',
  summary: 'revoke a token (v2.1 ones need the channel ID and secret)',
  usage: [
    'revoke TOKEN --channel-id ID --channel-secret SECRET   # family asked of LINE first',
    'revoke TOKEN --type v2.1 --channel-id ID --channel-secret SECRET',
    'revoke TOKEN --type short-lived|long-lived',
  ],
  positional: { name: 'TOKEN', description: 'the access token, or - to read it from stdin' },
  options: {
    type: {
      type: 'string',
      short: 't',
      valueName: 'TYPE',
      description: 'v2.1 | short-lived | long-lived (default: asked of LINE, as verify does)',
    },
    'channel-id': channelId,
    'channel-secret': channelSecret,
  },
  env: {
    [ENV.channelId]: 'channel ID (v2.1)',
    [ENV.channelSecret]: 'channel secret (v2.1)',
    [ENV.baseUrl]: 'API base URL',
  },
  details: [
    'Without --type, a JWS-shaped token (eyJ...) is first checked with LINE as verify does: a',
    'live v2.1 token is revoked; a stateless one cannot be revoked (exit 2: it stays valid',
    'until it expires, 15 minutes after issue; the message says when); one LINE does not know',
    'is reported, exit 0. Any other token is revoked as short/long-lived. LINE answers a revoke',
    'of an unknown token with success, so exit 0 with --type does not prove the token existed.',
    'Exit codes: 0 revoked or nothing to revoke, 2 usage (a stateless token), 3 API failure.',
  ],
  examples: [
    'line-token revoke "$TOKEN" --type v2.1 --channel-id 1234567890   # secret from LINE_CHANNEL_SECRET',
    'line-token revoke - --type short-lived < token.txt',
  ],
  run,
};

async function run(ctx: CommandContext): Promise<CommandOutput> {
  if (ctx.flags.string('type') === 'stateless') {
    throw new InvalidArgumentError('--type', `${STATELESS}; they expire 15 minutes after issue`);
  }
  const token = await readTokenArgument(ctx);
  const guessed = !ctx.flags.has('type');
  let type: RevocableType;
  if (guessed && looksLikeV21(token)) {
    // A stateless token is JWS-shaped like a v2.1 one, and LINE's v2.1 revoke answers 200
    // for it while it stays valid: ask first, as `verify` does, rather than claim success.
    const verdict = await guessVerdict(ctx, token);
    if (verdict.valid && verdict.type === 'stateless') {
      const when = formatExpiry(verdict.result.expiresAt, ctx.now());
      throw new InvalidArgumentError('TOKEN', `${STATELESS}; this one stays valid until ${when}`);
    }
    if (!verdict.valid) {
      return {
        data: {
          revoked: false,
          type: 'v2.1',
          guessed,
          valid: false,
          reason: reasonOf(verdict.error),
        },
        text: '',
        notes: [
          `line-token: nothing to revoke: LINE knows no live v2.1 or stateless token like it (${reasonOf(verdict.error)})`,
        ],
      };
    }
    type = 'v2.1';
  } else {
    type = parseType(ctx, REVOCABLE, () => 'short-lived');
  }
  // Short- and long-lived tokens look alike and share one endpoint: a guess can only say
  // "not v2.1", so the note names both rather than pick one.
  const family = !guessed
    ? `${type} token`
    : type === 'v2.1'
      ? 'v2.1 token (LINE verified it as one)'
      : 'short-lived or long-lived token (guessed: it is not JWS-shaped; pass --type to choose)';
  const client = createClient(ctx);
  if (type === 'v2.1') {
    const why = 'LINE requires it to revoke a v2.1 token';
    const id = requireChannelId(ctx, why);
    const secret = requireChannelSecret(ctx, why);
    await client.revokeV21(
      { channelId: id, channelSecret: secret, accessToken: token },
      { signal: ctx.signal },
    );
  } else {
    await client.revoke({ accessToken: token }, { signal: ctx.signal });
  }
  const unknownNote =
    guessed && type === 'v2.1' ? '' : '; LINE answers the same for an unknown one';
  return {
    data: { revoked: true, type, guessed },
    text: '',
    notes: [`line-token: revoked the ${family}${unknownNote}`],
  };
}
