/**
 * The environment reader behind `line-token/env` (see index.ts).
 *
 * @module
 */
import { importPrivateKey, type AssertionKey } from '../assertion/index.js';
import { checkTokenExpSec } from '../assertion/checks.js';
import { InvalidArgumentError } from '../errors.js';
import { custom, fn, readOptions, type OptionsSpec } from '../internal/options-spec.js';
import { invalidArgument, objectOption, oneOfOption } from '../internal/validate.js';
import type { TokenStrategy } from '../manager/types.js';
import { quietCallback } from '../internal/safe-callback.js';
import { readPrivateKeyText } from './key-text.js';
import { LINE_ENV, type Env } from './names.js';

export { LINE_ENV, type Env } from './names.js';
export { inlineKeyText, looksLikeKeyMaterial } from './key-text.js';

/** The token families a strategy from the environment can keep fresh. */
export type EnvTokenType = 'v2.1' | 'stateless' | 'short-lived';
const TYPES: readonly EnvTokenType[] = ['v2.1', 'stateless', 'short-lived'];

/** Options of {@link strategyFromEnv}. */
export interface StrategyFromEnvOptions {
  /**
   * The environment.
   *
   * @defaultValue `process.env`
   */
  env?: Env;
  /**
   * The token family. Default: `v2.1` when `LINE_ASSERTION_KID` and
   * `LINE_ASSERTION_PRIVATE_KEY` are set, else `stateless` when `LINE_CHANNEL_SECRET` is.
   *
   * @defaultValue `v2.1` with an assertion key, else `stateless` with a secret
   */
  type?: EnvTokenType;
  /**
   * v2.1 only: the token lifetime in seconds.
   *
   * @defaultValue the manager's (one day)
   */
  tokenExpSec?: number;
  /**
   * Told about a key file others can read.
   *
   * @defaultValue `process.emitWarning`
   */
  onWarning?: (message: string) => void;
}

// No fixed defaults here: absent `env` is the process's environment at call time, absent
// `type` is decided from the variables, absent `tokenExpSec` is the manager's.
const STRATEGY_FROM_ENV_SPEC = {
  env: custom((v, path): Env => (v === undefined ? process.env : (objectOption(path, v) as Env))),
  type: custom((v, path): EnvTokenType | undefined =>
    v === undefined ? undefined : oneOfOption(path, v, TYPES, 'v2.1'),
  ),
  tokenExpSec: custom((v): number | undefined =>
    v === undefined ? undefined : checkTokenExpSec(v),
  ),
  onWarning: fn<((message: string) => void) | undefined>(undefined),
} satisfies OptionsSpec<StrategyFromEnvOptions>;

/** The value of `name` in `env`, trimmed; `undefined` when unset or blank. */
export function envValue(env: Env, name: string): string | undefined {
  if (typeof env !== 'object' || env === null) invalidArgument('envValue', 'env', 'an object', env);
  if (typeof name !== 'string') invalidArgument('envValue', 'name', 'a string', name);
  const raw: unknown = env[name];
  if (raw === undefined) return undefined;
  // Never quoted: the value may be a secret.
  if (typeof raw !== 'string') invalidArgument('envValue', name, 'a string', raw);
  const value = raw.trim();
  return value === '' ? undefined : value;
}

function required(env: Env, name: string, why: string): string {
  const value = envValue(env, name);
  if (value === undefined) throw new InvalidArgumentError(name, `${name} is not set (${why})`);
  return value;
}

/** The assertion credentials in the environment, the key read and imported. */
export interface AssertionCredentials {
  channelId: string;
  kid: string;
  privateKey: AssertionKey;
}

/**
 * Reads `LINE_CHANNEL_ID`, `LINE_ASSERTION_KID` and `LINE_ASSERTION_PRIVATE_KEY` and
 * imports the key.
 *
 * @throws `InvalidArgumentError` naming the variable that is missing or unreadable;
 * `InvalidKeyError` when the key is not an RSA private key of 2048 bits or more.
 */
export async function assertionCredentialsFromEnv(
  env: Env = process.env,
  onWarning: (message: string) => void = (m) => process.emitWarning(m, 'LineTokenWarning'),
): Promise<AssertionCredentials> {
  const why = 'needed to sign the JWT assertion';
  const channelId = required(env, LINE_ENV.channelId, why);
  const kid = required(env, LINE_ENV.kid, why);
  const source = required(env, LINE_ENV.privateKey, why);
  const text = await readPrivateKeyText(source, {
    origin: LINE_ENV.privateKey,
    inline: true,
    // A warning hook that throws or rejects must not fail the read (see safe-callback.ts).
    warn: quietCallback(onWarning),
  });
  return { channelId, kid, privateKey: await importPrivateKey(text) };
}

/**
 * `LINE_API_BASE_URL` without its trailing slash, or `undefined` for LINE itself.
 *
 * @throws `InvalidArgumentError` when it is not an http(s) URL.
 */
export function apiBaseUrlFromEnv(env: Env = process.env): string | undefined {
  const raw = envValue(env, LINE_ENV.baseUrl);
  if (raw === undefined) return undefined;
  let protocol = '';
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new InvalidArgumentError(
      LINE_ENV.baseUrl,
      `${LINE_ENV.baseUrl} must be an http(s) URL such as https://api.line.me`,
    );
  }
  return raw.replace(/\/+$/, '');
}

/**
 * A {@link TokenStrategy} from the LINE_* variables, read as the CLI reads them.
 *
 * @throws `InvalidArgumentError` naming the variable at fault.
 * @example
 * ```ts
 * const strategy = await strategyFromEnv({ type: 'v2.1', tokenExpSec: 86_400 });
 * ```
 */
export async function strategyFromEnv(
  options: StrategyFromEnvOptions = {},
): Promise<Exclude<TokenStrategy, { type: 'static' }>> {
  const {
    env,
    type: chosen,
    tokenExpSec,
    onWarning,
  } = readOptions(STRATEGY_FROM_ENV_SPEC, options, { where: 'strategyFromEnv' });
  const hasKey =
    envValue(env, LINE_ENV.kid) !== undefined && envValue(env, LINE_ENV.privateKey) !== undefined;
  const secret = envValue(env, LINE_ENV.channelSecret);
  const type = chosen ?? (hasKey ? 'v2.1' : secret !== undefined ? 'stateless' : undefined);
  if (type === undefined) {
    throw new InvalidArgumentError(
      LINE_ENV.privateKey,
      `no credentials in the environment: set ${LINE_ENV.kid} and ${LINE_ENV.privateKey} ` +
        `(v2.1 or stateless tokens) or ${LINE_ENV.channelSecret} (stateless or short-lived tokens)`,
    );
  }
  if (tokenExpSec !== undefined && type !== 'v2.1') {
    throw new InvalidArgumentError('tokenExpSec', '"tokenExpSec" applies to v2.1 tokens only');
  }
  const channelId = required(env, LINE_ENV.channelId, `needed for ${type} tokens`);
  if (type === 'short-lived' || (type === 'stateless' && (secret !== undefined || !hasKey))) {
    const channelSecret = required(env, LINE_ENV.channelSecret, `needed for ${type} tokens`);
    return type === 'short-lived'
      ? { type, channelId, channelSecret }
      : { type, channelId, channelSecret };
  }
  const { kid, privateKey } = await assertionCredentialsFromEnv(env, onWarning);
  if (type === 'stateless') return { type, channelId, kid, privateKey };
  return {
    type,
    channelId,
    kid,
    privateKey,
    ...(tokenExpSec !== undefined && { tokenExpSec }),
    ...(secret !== undefined && { channelSecret: secret }),
  };
}
