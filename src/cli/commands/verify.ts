/**
 * `line-token verify`: asks LINE whether a token is alive. A dead token is an answer, not
 * a failure: it prints why on stdout and exits 1, so scripts can branch on it.
 *
 * @module
 */
import type { TokenVerification } from '../../client/types.js';
import { LineApiError } from '../../errors.js';
import { ENV, readTokenArgument } from '../credentials.js';
import { createClient, looksLikeV21, parseType, type TokenType } from '../internal/client.js';
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

type Verdict =
  | { valid: true; type: TokenType; result: TokenVerification }
  | { valid: false; type: TokenType; error: LineApiError };

async function ask(ctx: CommandContext, token: string, type: TokenType): Promise<Verdict> {
  const client = createClient(ctx);
  const params = { accessToken: token };
  const request = { signal: ctx.signal };
  try {
    const result =
      type === 'v2.1'
        ? await client.verifyV21(params, request)
        : await client.verify(params, request);
    return { valid: true, type, result };
  } catch (err) {
    // LINE answers 400 for an unknown, malformed, expired or revoked token: that is the
    // verdict. Other statuses (429, 5xx) are failures and exit 3.
    if (err instanceof LineApiError && err.status === 400)
      return { valid: false, type, error: err };
    throw err;
  }
}

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const token = await readTokenArgument(ctx);
  const guessed = !ctx.flags.has('type');
  const type = parseType(ctx, TYPES, () => (looksLikeV21(token) ? 'v2.1' : 'short-lived'));
  let verdict = await ask(ctx, token, type);
  // Stateless tokens are JWS-shaped too, but only the v2 endpoint knows them.
  if (!verdict.valid && guessed && type === 'v2.1') {
    const second = await ask(ctx, token, 'stateless');
    if (second.valid) verdict = second;
  }
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
  const reason = error.errorDescription ?? error.lineMessage ?? error.error ?? 'invalid token';
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
