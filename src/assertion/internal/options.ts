/**
 * Checks assertion options once, at construction, into a normalized object, with the
 * shared toolkit (src/internal/validate.ts): its messages quote the option and its limit
 * but never a string that could be a secret (a channel secret pasted into the wrong option
 * must not end up in a log).
 *
 * @module
 */
import { InvalidArgumentError } from '../../errors.js';
import {
  custom,
  fn,
  readOptions,
  withDefault,
  type OptionsSpec,
} from '../../internal/options-spec.js';
import { optionsObject } from '../../internal/validate.js';
import type { AssertionOptions } from '../options.js';
import { checkChannelId, checkKid, checkLifetimeSec, checkTokenExpSec } from '../checks.js';
import { DEFAULT_ASSERTION_LIFETIME_SEC } from '../constants.js';

/** The checked form of {@link AssertionOptions}, minus the key (handled by key.ts). */
export interface NormalizedAssertionOptions {
  readonly channelId: string;
  readonly kid: string;
  readonly tokenExpSec: number | undefined;
  readonly lifetimeSec: number;
  readonly now: () => number;
}

/** The reader of each option (see internal/options-spec.ts); internal. */
export const ASSERTION_SPEC = {
  channelId: custom((value) => checkChannelId(value)),
  kid: custom((value) => checkKid(value)),
  tokenExpSec: custom((value) => (value === undefined ? undefined : checkTokenExpSec(value))),
  lifetimeSec: withDefault(DEFAULT_ASSERTION_LIFETIME_SEC, (value) =>
    value === undefined ? DEFAULT_ASSERTION_LIFETIME_SEC : checkLifetimeSec(value),
  ),
  now: fn<() => number>(Date.now),
  // The key is imported by key.ts; here it only has to be there.
  privateKey: custom((value) => {
    if (value === undefined || value === null) {
      throw new InvalidArgumentError(
        'privateKey',
        '"privateKey" option is required: the private JWK (JSON text or object), a PEM text, a CryptoKey, a KeyObject or an imported AssertionKey',
      );
    }
    return value;
  }),
} satisfies OptionsSpec<AssertionOptions>;

/**
 * Checks every option but the key and fills in the defaults.
 *
 * @throws InvalidArgumentError naming the first bad option.
 */
export function normalizeAssertionOptions(options: unknown): NormalizedAssertionOptions {
  if (options === undefined) optionsObject('assertion', null);
  const o = optionsObject('assertion', options);
  // The other members of a v2.1 or stateless TokenStrategy are ignored, not refused: a
  // strategy may be passed as it is to sign with (`createAssertionSigner(strategy)`).
  const { type: _type, channelSecret: _secret, ...own } = o;
  const { privateKey: _key, ...read } = readOptions(ASSERTION_SPEC, own, { where: 'assertion' });
  return read;
}
