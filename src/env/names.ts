/**
 * The environment variables line-token reads, in one place: the CLI, `npm start`'s live
 * mode and {@link strategyFromEnv} all give each one the same meaning. No imports, so the
 * CLI can name them in `--help` without loading anything else.
 *
 * @module
 */

/**
 * The variable names.
 *
 * - `LINE_CHANNEL_ID`: the channel ID (digits, as the Console shows it).
 * - `LINE_CHANNEL_SECRET`: the channel secret.
 * - `LINE_ASSERTION_KID`: the kid the Console gave when the public key was registered.
 * - `LINE_ASSERTION_PRIVATE_KEY`: the private key: a file path, or the JWK or PEM text
 *   itself, either possibly wrapped in one pair of quotes, or base64 of either.
 * - `LINE_API_BASE_URL`: the API origin (default `https://api.line.me`), e.g. the emulator's.
 * - `LINE_API_TIMEOUT`: seconds each request may take (the CLI's `--timeout`).
 */
export const LINE_ENV = {
  channelId: 'LINE_CHANNEL_ID',
  channelSecret: 'LINE_CHANNEL_SECRET',
  kid: 'LINE_ASSERTION_KID',
  privateKey: 'LINE_ASSERTION_PRIVATE_KEY',
  baseUrl: 'LINE_API_BASE_URL',
  timeout: 'LINE_API_TIMEOUT',
} as const;

/** An environment: `process.env` or any record of the same shape. */
export type Env = Readonly<Record<string, string | undefined>>;
