/**
 * `line-token verify`: asks LINE whether a token is alive. A dead token is an answer, not
 * a failure: it prints why on stdout and exits 1, so scripts can branch on it.
 *
 * @module
 */
import { LineApiError } from '../../errors.js';
import { ENV, readTokenArgument } from '../credentials.js';
import { createClient, looksLikeV21, parseType } from '../internal/client.js';
import { formatExpiry } from '../internal/format.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

/** `line-token verify TOKEN [--type v2.1|short-lived|long-lived]`. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a token with LINE: prints its channel, expiry and scope; exit 1 if invalid',
  usage: ['verify TOKEN [--type v2.1|short-lived|long-lived]', 'verify - < token.txt'],
  positional: { name: 'TOKEN', description: 'the access token, or - to read it from stdin' },
  options: {
    type: {
      type: 'string',
      short: 't',
      valueName: 'TYPE',
      description: 'v2.1 | short-lived | long-lived (default: v2.1 if the token is JWS-shaped)',
    },
  },
  env: { [ENV.baseUrl]: 'API base URL' },
  details: [
    'v2.1 tokens are checked with GET /oauth2/v2.1/verify, short- and long-lived ones with',
    'POST /v2/oauth/verify. Exit codes: 0 valid, 1 invalid/expired/revoked, 3 API or network failure.',
  ],
  examples: [
    'line-token verify "$TOKEN"',
    'line-token verify - --type long-lived < token.txt',
    'line-token verify "$TOKEN" --json',
  ],
  run,
};

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const token = await readTokenArgument(ctx);
  const type = parseType(ctx, ['v2.1', 'short-lived', 'long-lived'] as const, () =>
    looksLikeV21(token) ? 'v2.1' : 'short-lived',
  );
  const client = createClient(ctx);
  const params = { accessToken: token };
  try {
    const result =
      type === 'v2.1'
        ? await client.verifyV21(params, { signal: ctx.signal })
        : await client.verify(params, { signal: ctx.signal });
    const lines = [
      `client_id: ${result.clientId}`,
      `expires_at: ${formatExpiry(result.expiresAt, ctx.now())}`,
      ...(result.scope !== undefined ? [`scope: ${result.scope}`] : []),
    ];
    return {
      data: {
        valid: true,
        type,
        clientId: result.clientId,
        expiresIn: result.expiresIn,
        expiresAt: new Date(result.expiresAt).toISOString(),
        ...(result.scope !== undefined && { scope: result.scope }),
      },
      text: lines.join('\n'),
    };
  } catch (err) {
    // LINE answers 400 for an unknown, malformed, expired or revoked token: that is the
    // verdict. Other statuses (429, 5xx) are failures and exit 3.
    if (!(err instanceof LineApiError) || err.status !== 400) throw err;
    const reason = err.errorDescription ?? err.lineMessage ?? err.error ?? 'invalid token';
    return {
      data: {
        valid: false,
        type,
        status: err.status,
        error: err.error,
        errorDescription: err.errorDescription,
        message: err.lineMessage,
        requestId: err.requestId,
      },
      text: `invalid: ${reason}`,
      outcome: 'invalid',
    };
  }
}
