/**
 * `line-token verify`: asks LINE whether a token is alive. A dead token is an answer, not
 * a failure: it prints why on stdout and exits 1, so scripts can branch on it.
 *
 * @module
 */
import { ENV, readTokenArgument } from '../credentials.js';
import { parseType } from '../internal/client.js';
import { ask, guessVerdict, reasonOf } from '../internal/verdict.js';
import { formatExpiry } from '../internal/format.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

const TYPES = ['v2.1', 'stateless', 'short-lived', 'long-lived'] as const;

/** `line-token verify TOKEN [--type v2.1|stateless|short-lived|long-lived]`. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a token with LINE: prints its channel, expiry and scope; exit 1 if invalid',
  usage: ['verify TOKEN [--type v2.1|stateless|short-lived|long-lived]', 'verify - < token.txt'],
  positional: { name: 'TOKEN', description: 'the access token, or - to read it from stdin' },
  options: {
    type: {
      type: 'string',
      short: 't',
      valueName: 'TYPE',
      description: 'v2.1 | stateless | short-lived | long-lived (default: guessed, see below)',
    },
  },
  env: { [ENV.baseUrl]: 'API base URL' },
  details: [
    'v2.1 tokens are checked with GET /oauth2/v2.1/verify; stateless, short- and long-lived ones',
    'with POST /v2/oauth/verify. Without --type, a JWS-shaped token (eyJ...) is tried as v2.1',
    'first and, if LINE does not know it there, as stateless; any other token as short/long-lived.',
    'Exit codes: 0 valid, 1 invalid/expired/revoked, 3 API or network failure.',
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
  const type = ctx.flags.has('type') ? parseType(ctx, TYPES) : undefined;
  const verdict = type === undefined ? await guessVerdict(ctx, token) : await ask(ctx, token, type);
  if (verdict.valid) {
    const { result } = verdict;
    const lines = [
      `client_id: ${result.clientId}`,
      `expires_at: ${formatExpiry(result.expiresAt, ctx.now())}`,
      ...(result.scope !== undefined ? [`scope: ${result.scope}`] : []),
    ];
    return {
      data: {
        valid: true,
        type: verdict.type,
        clientId: result.clientId,
        expiresIn: result.expiresIn,
        expiresAt: new Date(result.expiresAt).toISOString(),
        ...(result.scope !== undefined && { scope: result.scope }),
      },
      text: lines.join('\n'),
    };
  }
  const { error } = verdict;
  const reason = reasonOf(error);
  return {
    data: {
      valid: false,
      type: verdict.type,
      status: error.status,
      error: error.error,
      errorDescription: error.errorDescription,
      message: error.lineMessage,
      requestId: error.requestId,
    },
    text: `invalid: ${reason}`,
    outcome: 'invalid',
  };
}
