/**
 * `line-token issue`: issues a token of one family and prints the token alone on stdout,
 * so `TOKEN=$(line-token issue ...)` works; the expiry goes to stderr (or into `--json`).
 *
 * @module
 */
import { signAssertion } from '../../assertion/index.js';
import { DEFAULT_TOKEN_EXP_SEC } from '../../manager/constants.js';
import type { IssuedToken } from '../../client/types.js';
import { InvalidArgumentError } from '../../errors.js';
import {
  CREDENTIAL_OPTIONS,
  ENV,
  hasAssertionKey,
  loadAssertionMaterial,
  optionalTokenExp,
  requireChannelId,
  requireChannelSecret,
  TOKEN_EXP_OPTION,
} from '../credentials.js';
import { createClient, parseType, type TokenType } from '../internal/client.js';
import { formatExpiry } from '../internal/format.js';
import type { Command, CommandContext, CommandOutput, OptionSpec } from '../types.js';

/** The `--type` flag of `issue` and `token`. */
export const ISSUE_TYPE_OPTION = {
  type: {
    type: 'string',
    short: 't',
    valueName: 'TYPE',
    description: 'v2.1 | stateless | short-lived',
  },
} as const satisfies Record<string, OptionSpec>;

/** The environment variables `issue` and `token` read. */
export const ISSUE_ENV: Record<string, string> = {
  [ENV.channelId]: 'channel ID',
  [ENV.channelSecret]: 'channel secret',
  [ENV.kid]: 'assertion signing key id',
  [ENV.privateKey]: 'private key: a file path, or the JWK/PEM text (quoted or base64 too)',
  [ENV.baseUrl]: 'API base URL',
  [ENV.timeout]: 'seconds each request may take (--timeout)',
};

/** `line-token issue --type v2.1|stateless|short-lived ...`. */
export const issueCommand: Command = {
  name: 'issue',
  summary: 'issue a channel access token and print it on stdout',
  usage: [
    'issue --type v2.1        --channel-id ID --kid KID --private-key FILE [--token-exp DURATION]',
    'issue --type stateless   --channel-id ID --channel-secret SECRET',
    'issue --type stateless   --channel-id ID --kid KID --private-key FILE',
    'issue --type short-lived --channel-id ID --channel-secret SECRET',
  ],
  options: { ...ISSUE_TYPE_OPTION, ...CREDENTIAL_OPTIONS, ...TOKEN_EXP_OPTION },
  env: ISSUE_ENV,
  details: [
    'v2.1 tokens live --token-exp (default 1d, at most 30d); LINE allows 30 live v2.1 tokens per',
    'channel, and a lost one holds its slot until it expires. Stateless tokens live 15 minutes',
    'and cannot be revoked; short-lived ones live 30 days. A stateless issue signs an assertion',
    'when --kid/--private-key are given (or, with no such flags, when both LINE_ASSERTION_*',
    'variables are set), else uses the secret.',
    'The token alone goes to stdout; its expiry goes to stderr, or into --json.',
  ],
  examples: [
    'line-token issue --type v2.1 --channel-id 1234567890 --kid 1dab2f4f-... --private-key key.json',
    'TOKEN=$(LINE_CHANNEL_SECRET=... line-token issue -t stateless -c 1234567890)',
    'line-token issue --type short-lived --json',
  ],
  run,
};

/** Issues a token of `type` with the configured credentials. Shared with `token`. */
export async function issueToken(
  ctx: CommandContext,
  type: Exclude<TokenType, 'long-lived'>,
): Promise<IssuedToken & { keyId?: string }> {
  const tokenExpSec = optionalTokenExp(ctx);
  if (tokenExpSec !== undefined && type !== 'v2.1') {
    throw new InvalidArgumentError('--token-exp', '--token-exp applies to --type v2.1 only');
  }
  const client = createClient(ctx);
  const request = { signal: ctx.signal };
  switch (type) {
    case 'v2.1': {
      const material = await loadAssertionMaterial(ctx);
      const assertion = await signAssertion({
        ...material,
        // The manager's default: a token whose value gets lost (a closed terminal, a script
        // that fails after the issue) blocks one of the 30 slots for a day, not a month.
        tokenExpSec: tokenExpSec ?? DEFAULT_TOKEN_EXP_SEC,
        now: ctx.now,
      });
      return client.issueV21({ assertion }, request);
    }
    case 'stateless': {
      if (usesAssertion(ctx)) {
        const assertion = await signAssertion({
          ...(await loadAssertionMaterial(ctx)),
          now: ctx.now,
        });
        return client.issueStateless({ assertion }, request);
      }
      const why = 'or give --kid and --private-key to sign an assertion instead';
      const channelId = requireChannelId(ctx);
      const channelSecret = requireChannelSecret(ctx, why);
      return client.issueStateless({ channelId, channelSecret }, request);
    }
    case 'short-lived': {
      const channelId = requireChannelId(ctx);
      const channelSecret = requireChannelSecret(ctx);
      return client.issueShortLived({ channelId, channelSecret }, request);
    }
  }
}

// Flags decide first; with no form-picking flag, configured assertion credentials win,
// since a user who set them up for v2.1 expects the same key to be used.
function usesAssertion(ctx: CommandContext): boolean {
  if (ctx.flags.has('channel-secret')) return false;
  if (ctx.flags.has('kid') || ctx.flags.has('private-key')) return true;
  return hasAssertionKey(ctx);
}

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const type = parseType(ctx, ['v2.1', 'stateless', 'short-lived'] as const);
  const issued = await issueToken(ctx, type);
  const keyId = issued.keyId;
  return {
    data: {
      type,
      accessToken: issued.accessToken,
      tokenType: issued.tokenType,
      expiresIn: issued.expiresIn,
      expiresAt: new Date(issued.expiresAt).toISOString(),
      ...(keyId !== undefined && { keyId }),
    },
    text: issued.accessToken,
    notes: [
      `line-token: ${type} token expires at ${formatExpiry(issued.expiresAt, ctx.now())}` +
        (keyId !== undefined ? `; key id ${keyId}` : ''),
    ],
  };
}
