/**
 * `line-token kids`: lists the `key_id` of every live v2.1 token of the channel, which is
 * how a user sees how close the channel is to LINE's 30-token limit.
 *
 * @module
 */
import { signAssertion } from '../../assertion/index.js';
import { LIVE_TOKEN_LIMIT } from '../../line/facts.js';
import { CREDENTIAL_OPTIONS, ENV, loadAssertionMaterial } from '../credentials.js';
import { createClient } from '../internal/client.js';
import type { Command, CommandContext, CommandOutput } from '../types.js';

const { 'channel-id': channelId, kid, 'private-key': privateKey } = CREDENTIAL_OPTIONS;

/** `line-token kids --channel-id ID --kid KID --private-key FILE`. */
export const kidsCommand: Command = {
  name: 'kids',
  summary: "list the key ids of the channel's live v2.1 tokens (LINE allows 30)",
  usage: ['kids --channel-id ID --kid KID --private-key FILE'],
  options: { 'channel-id': channelId, kid, 'private-key': privateKey },
  env: {
    [ENV.channelId]: 'channel ID',
    [ENV.kid]: 'assertion signing key id',
    [ENV.privateKey]: 'private key: a file path, or the JWK/PEM text (quoted or base64 too)',
    [ENV.baseUrl]: 'API base URL',
  },
  details: ["Prints one key id per line. These are LINE's key_id values, not the assertion kid."],
  examples: [
    'line-token kids --channel-id 1234567890 --kid 1dab2f4f-... --private-key key.json',
    'line-token kids --json',
  ],
  run,
};

async function run(ctx: CommandContext): Promise<CommandOutput> {
  const material = await loadAssertionMaterial(ctx);
  // The key-id listing takes an assertion without token_exp.
  const assertion = await signAssertion({ ...material, now: ctx.now });
  const kids = await createClient(ctx).getValidKeyIds({ assertion }, { signal: ctx.signal });
  return {
    data: { kids },
    text: kids.join('\n'),
    notes: [`line-token: ${kids.length} of ${LIVE_TOKEN_LIMIT} live v2.1 tokens`],
  };
}
