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
import type { Command, CommandContext, CommandOutput } from '../types.js';

const { 'channel-id': channelId, 'channel-secret': channelSecret } = CREDENTIAL_OPTIONS;

/** `line-token revoke TOKEN --type v2.1|short-lived|long-lived [credentials]`. */
export const revokeCommand: Command = {
  name: 'revoke',
  summary: 'revoke a token (v2.1 ones need the channel ID and secret)',
  usage: [
    'revoke TOKEN --type v2.1 --channel-id ID --channel-secret SECRET',
    'revoke TOKEN --type short-lived|long-lived',
  ],
  positional: { name: 'TOKEN', description: 'the access token, or - to read it from stdin' },
  options: {
    type: {
      type: 'string',
      short: 't',
      valueName: 'TYPE',
      description: 'v2.1 | short-lived | long-lived (default: v2.1 if the token is JWS-shaped)',
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
    'LINE answers a revoke of an unknown or already revoked token with success, so exit 0 does',
    'not prove the token existed. Stateless tokens cannot be revoked; they expire in 15 minutes.',
  ],
  examples: [
    'line-token revoke "$TOKEN" --type v2.1 --channel-id 1234567890   # secret from LINE_CHANNEL_SECRET',
    'line-token revoke - --type short-lived < token.txt',
  ],
  run,
};

async function run(ctx: CommandContext): Promise<CommandOutput> {
  if (ctx.flags.string('type') === 'stateless') {
    throw new InvalidArgumentError(
      '--type',
      'stateless tokens cannot be revoked; they expire 15 minutes after they were issued',
    );
  }
  const token = await readTokenArgument(ctx);
  const guessed = !ctx.flags.has('type');
  const type = parseType(ctx, ['v2.1', 'short-lived', 'long-lived'] as const, () =>
    looksLikeV21(token) ? 'v2.1' : 'short-lived',
  );
  // Short- and long-lived tokens look alike and share one endpoint: a guess can only say
  // "not v2.1", so the note names both rather than pick one.
  const family = guessed
    ? type === 'v2.1'
      ? 'v2.1 token (guessed from its JWS shape; pass --type to choose)'
      : 'short-lived or long-lived token (guessed: it is not JWS-shaped; pass --type to choose)'
    : `${type} token`;
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
  return {
    data: { revoked: true, type, guessed },
    text: '',
    notes: [`line-token: revoked the ${family}; LINE answers the same for an unknown one`],
  };
}
