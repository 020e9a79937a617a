/**
 * Live mode's configuration, from the environment only (`npm start` takes no flags):
 * which strategy the LINE_* variables add up to, checked before anything is sent. The
 * key file is read with the CLI's own code, so both accept the same forms.
 *
 * @module
 */
import { DEFAULT_TOKEN_EXP_SEC } from '../manager/constants.js';
import { MAX_TOKEN_EXP_SEC } from '../line/facts.js';
import { assertionCredentialsFromEnv } from '../env/env.js';
import { LINE_ENV as ENV } from '../env/names.js';
import { InvalidArgumentError } from '../errors.js';
import type { TokenStrategy } from '../manager/types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables live mode reads (the CLI's, plus the token type and lifetime). */
export const LIVE_ENV = {
  ...ENV,
  tokenType: 'LINE_TOKEN_TYPE',
  tokenExpSec: 'LINE_TOKEN_EXP_SEC',
} as const;

/** The token types live mode can keep fresh. */
export type LiveTokenType = 'v2.1' | 'stateless' | 'short-lived';

const TYPES: readonly LiveTokenType[] = ['v2.1', 'stateless', 'short-lived'];

/** What live mode runs with. */
export interface LiveConfig {
  readonly strategy: Exclude<TokenStrategy, { type: 'static' }>;
  /** `LINE_API_BASE_URL`, or `undefined` for LINE itself. */
  readonly baseUrl: string | undefined;
  /** The channel secret, when set: v2.1 and short-lived tokens are revoked with it on exit. */
  readonly channelSecret: string | undefined;
}

const value = (env: Env, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
};

const bad = (name: string, message: string): InvalidArgumentError =>
  new InvalidArgumentError(name, message);

/**
 * Whether `npm start` runs in live mode: `LINE_CHANNEL_ID` is set (and not blank).
 *
 * @example
 * ```ts
 * isLiveMode({ LINE_CHANNEL_ID: '1234567890' }) // true
 * ```
 */
export function isLiveMode(env: Env): boolean {
  return value(env, LIVE_ENV.channelId) !== undefined;
}

/**
 * The token type: `LINE_TOKEN_TYPE` when set; otherwise v2.1 when an assertion key is
 * configured (the kind LINE recommends, with a lifetime you choose), else stateless when a
 * channel secret is (it counts against no limit and needs nothing revoked).
 *
 * @throws {@link InvalidArgumentError} for an unknown type, or no credentials at all.
 */
export function chooseTokenType(env: Env): LiveTokenType {
  const raw = value(env, LIVE_ENV.tokenType);
  if (raw !== undefined) {
    const found = TYPES.find((t) => t === raw);
    if (found !== undefined) return found;
    // Quote only short words: a long value may be a secret set in the wrong variable.
    const got = /^[\w.-]{1,16}$/.test(raw) ? `"${raw}"` : 'something else';
    throw bad(LIVE_ENV.tokenType, `${LIVE_ENV.tokenType} must be ${TYPES.join(', ')}; got ${got}`);
  }
  if (hasKey(env)) return 'v2.1';
  if (value(env, LIVE_ENV.channelSecret) !== undefined) return 'stateless';
  throw bad(
    LIVE_ENV.channelId,
    `${LIVE_ENV.channelId} is set, so npm start runs in live mode, but no credentials are: set ` +
      `${LIVE_ENV.kid} and ${LIVE_ENV.privateKey} (v2.1 tokens) or ${LIVE_ENV.channelSecret} ` +
      `(stateless tokens), or unset ${LIVE_ENV.channelId} to run the demo on the emulator`,
  );
}

function hasKey(env: Env): boolean {
  return value(env, LIVE_ENV.kid) !== undefined && value(env, LIVE_ENV.privateKey) !== undefined;
}

function needKey(env: Env, type: LiveTokenType): void {
  for (const name of [LIVE_ENV.kid, LIVE_ENV.privateKey]) {
    if (value(env, name) === undefined) {
      throw bad(
        name,
        `${type} tokens need ${LIVE_ENV.kid} and ${LIVE_ENV.privateKey} (a key file path, or ` +
          `the JWK itself); ${name} is not set`,
      );
    }
  }
}

function needSecret(env: Env, type: LiveTokenType): string {
  const secret = value(env, LIVE_ENV.channelSecret);
  if (secret === undefined) {
    throw bad(LIVE_ENV.channelSecret, `${type} tokens need ${LIVE_ENV.channelSecret}`);
  }
  return secret;
}

/**
 * Lifetime of live mode's v2.1 tokens when `LINE_TOKEN_EXP_SEC` is unset: 1 day, as the
 * library and the CLI default to, so a token lost with a stopped demo ages out within a
 * day rather than holding one of the channel's 30 slots for a month. Sent explicitly: an assertion without `token_exp` is refused by the emulator
 * (docs/line-rules.md: outside 1..2592000 is `Invalid token_exp`), so we never rely on LINE's
 * handling of a missing claim.
 */
export const LIVE_DEFAULT_TOKEN_EXP_SEC = DEFAULT_TOKEN_EXP_SEC;

function tokenExpSecOf(env: Env, type: LiveTokenType): number | undefined {
  const raw = value(env, LIVE_ENV.tokenExpSec);
  if (raw === undefined) return type === 'v2.1' ? LIVE_DEFAULT_TOKEN_EXP_SEC : undefined;
  if (type !== 'v2.1') {
    throw bad(LIVE_ENV.tokenExpSec, `${LIVE_ENV.tokenExpSec} applies to v2.1 tokens only`);
  }
  const n = /^[0-9]{1,8}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > MAX_TOKEN_EXP_SEC) {
    throw bad(
      LIVE_ENV.tokenExpSec,
      `${LIVE_ENV.tokenExpSec} must be a whole number of seconds from 1 to ${MAX_TOKEN_EXP_SEC} (30 days)`,
    );
  }
  return n;
}

/**
 * Reads live mode's configuration. The private key (a path, or the JWK/PEM text itself,
 * quoted or base64) is read and imported now, so a bad one is a configuration error before LINE is asked.
 *
 * @param warn - told about a key file others can read (one line, no secret).
 * @throws {@link InvalidArgumentError} or {@link InvalidKeyError}, naming the variable.
 */
export async function readLiveConfig(
  env: Env,
  warn: (message: string) => void,
): Promise<LiveConfig> {
  const channelId = value(env, LIVE_ENV.channelId);
  if (channelId === undefined || !/^[0-9]+$/.test(channelId)) {
    throw bad(
      LIVE_ENV.channelId,
      `${LIVE_ENV.channelId} must be the channel ID, digits only, as the LINE Developers Console shows it`,
    );
  }
  const type = chooseTokenType(env);
  const tokenExpSec = tokenExpSecOf(env, type);
  const channelSecret = value(env, LIVE_ENV.channelSecret);
  const baseUrl = value(env, LIVE_ENV.baseUrl);
  const base = { baseUrl, channelSecret };
  if (type === 'short-lived') {
    return { ...base, strategy: { type, channelId, channelSecret: needSecret(env, type) } };
  }
  if (type === 'stateless' && (channelSecret !== undefined || !hasKey(env))) {
    return { ...base, strategy: { type, channelId, channelSecret: needSecret(env, type) } };
  }
  needKey(env, type);
  const { kid, privateKey } = await assertionCredentialsFromEnv(env, warn);
  if (type === 'stateless') return { ...base, strategy: { type, channelId, kid, privateKey } };
  return {
    ...base,
    strategy: {
      type,
      channelId,
      kid,
      privateKey,
      ...(tokenExpSec !== undefined && { tokenExpSec }),
      ...(channelSecret !== undefined && { channelSecret }),
    },
  };
}
