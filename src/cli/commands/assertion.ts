/**
 * `line-token assertion`: prints a signed JWT assertion, for users who call LINE with
 * their own HTTP client (curl, another SDK) but want the signing done right.
 *
 * @module
 */
import { signAssertion } from '../../assertion/sign.js';
import {
  CREDENTIAL_OPTIONS,
  ENV,
  loadAssertionMaterial,
  optionalTokenExp,
  TOKEN_EXP_OPTION,
} from '../credentials.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

const { kid, 'private-key': privateKey, 'channel-id': channelId } = CREDENTIAL_OPTIONS;

/** `line-token assertion --channel-id ID --kid KID --private-key FILE [--token-exp DURATION]`. */
export const assertionCommand: Command = {
  name: 'assertion',
  summary: 'print a signed JWT assertion (RS256) for the v2.1, stateless or key-id operations',
  usage: ['assertion --channel-id ID --kid KID --private-key FILE [--token-exp DURATION]'],
  options: { 'channel-id': channelId, kid, 'private-key': privateKey, ...TOKEN_EXP_OPTION },
  env: {
    [ENV.channelId]: 'channel ID',
    [ENV.kid]: 'assertion signing key id',
    [ENV.privateKey]: 'private key: a file path, or the JWK/PEM text (quoted or base64 too)',
  },
  details: [
    'Without --token-exp the assertion carries no token_exp claim (what the key-id listing and',
    'stateless issue expect); give it for a v2.1 issue. The assertion itself expires in 5 minutes.',
  ],
  examples: [
    'line-token assertion --channel-id 1234567890 --kid 1dab2f4f-... --private-key key.json --token-exp 86400',
  ],
  offline: true,
  run,
};

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const tokenExpSec = optionalTokenExp(ctx);
  const material = await loadAssertionMaterial(ctx);
  const assertion = await signAssertion({
    ...material,
    ...(tokenExpSec !== undefined && { tokenExpSec }),
    now: ctx.now,
  });
  // Reading back our own claims (not verifying: we just signed it) gives the exact expiry.
  const { exp } = JSON.parse(Buffer.from(assertion.split('.')[1]!, 'base64url').toString()) as {
    exp?: unknown;
  };
  const expiresAt = typeof exp === 'number' ? new Date(exp * 1000).toISOString() : undefined;
  return {
    data: { assertion, expiresAt, ...(tokenExpSec !== undefined && { tokenExpSec }) },
    text: assertion,
    notes: expiresAt ? [`line-token: the assertion expires at ${expiresAt}`] : [],
  };
}
