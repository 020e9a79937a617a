/**
 * Signs the JWT assertions LINE takes for v2.1 issue, key-id listing and stateless issue.
 * See https://developers.line.biz/en/docs/messaging-api/generate-json-web-token/
 *
 * @module
 */
import { signRs256 } from '#signing';
import { InvalidArgumentError } from '../errors.js';
import { LINE_ASSERTION_AUDIENCE } from './constants.js';
import type { KeyState } from './internal/jwk.js';
import type { AssertionHeader } from './signing.js';
import { keyStateOf } from './key.js';
import { checkTokenExpSec } from './checks.js';
import { normalizeAssertionOptions } from './internal/options.js';
import type { AssertionOptions } from './options.js';
import { optionNames } from '../internal/options-spec.js';
import { optionsObject, rejectUnknownOptions } from '../internal/validate.js';

export type { AssertionOptions } from './options.js';

/** Signs assertions from options checked once. Made by {@link createAssertionSigner}. */
export interface AssertionSigner {
  /**
   * Signs a fresh assertion (a new `exp` from `now()` each time).
   *
   * @param overrides `tokenExpSec`: a number replaces the configured one for this
   *   assertion; `null` leaves `token_exp` out (key-id listing, stateless issue).
   */
  sign(overrides?: { tokenExpSec?: number | null }): Promise<string>;
}

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
// The members of sign()'s overrides, checked against its parameter type by the compiler.
const OVERRIDE_NAMES = optionNames<NonNullable<Parameters<AssertionSigner['sign']>[0]>>({
  tokenExpSec: true,
});

/**
 * Checks the options now and returns a signer that imports the key on its first `sign()`
 * and reuses it after. The hot path of `sign()` only reads the clock, builds the claims and
 * signs.
 *
 * @throws InvalidArgumentError at once for a bad `channelId`, `kid`, `tokenExpSec`,
 *   `lifetimeSec` or `now`; the first `sign()` rejects with an InvalidKeyError for a bad key.
 *
 * @example
 * ```ts
 * const signer = createAssertionSigner({ channelId: '1573163733', kid, privateKey: jwkText, tokenExpSec: 86_400 });
 * const { accessToken } = await client.issueV21({ assertion: await signer.sign() });
 * const kids = await client.getValidKeyIds({ assertion: await signer.sign({ tokenExpSec: null }) });
 * ```
 */
export function createAssertionSigner(options: AssertionOptions): AssertionSigner {
  const { channelId, kid, tokenExpSec, lifetimeSec, now } = normalizeAssertionOptions(options);
  const privateKey: unknown = options.privateKey;
  const header = { alg: 'RS256', typ: 'JWT', kid } as const;
  let key: Promise<KeyState> | undefined;

  const loadOnce = (): Promise<KeyState> => {
    if (!key) {
      const pending = keyStateOf(privateKey);
      key = pending;
      // A failed import is retried on the next sign() rather than remembered for ever.
      pending.catch(() => {
        if (key === pending) key = undefined;
      });
    }
    return key;
  };

  const sign = async (overrides?: { tokenExpSec?: number | null }): Promise<string> => {
    const o = optionsObject('sign()', overrides);
    rejectUnknownOptions(o, OVERRIDE_NAMES, 'sign()');
    const override = o['tokenExpSec'] as number | null | undefined;
    const tokenExp =
      override === undefined
        ? tokenExpSec
        : override === null
          ? undefined
          : checkTokenExpSec(override);
    return signClaims(await loadOnce(), header, channelId, lifetimeSec, tokenExp, now);
  };

  const view = { channelId, kid, tokenExpSec, lifetimeSec };
  return Object.freeze({
    sign,
    toJSON: () => view,
    [inspectSymbol]: () => `AssertionSigner ${JSON.stringify(view)}`,
  });
}

/**
 * Signs one assertion. The key is imported once per distinct key object or text and
 * cached, so calling this repeatedly with the same key does not re-parse it; for many
 * assertions with the same options, {@link createAssertionSigner} is cheaper still.
 *
 * @returns The compact JWS: header `{alg: "RS256", typ: "JWT", kid}`, claims
 *   `{iss, sub, aud: "https://api.line.me/", exp, token_exp?}`.
 * @throws InvalidArgumentError for a bad option, InvalidKeyError for a bad key; nothing is
 *   signed in either case.
 *
 * @example
 * ```ts
 * const assertion = await signAssertion({
 *   channelId: '1573163733',
 *   kid: '1dab2f4f-b73f-47a3-b99d-1730e22b9544',
 *   privateKey: jwkJsonText,
 *   tokenExpSec: 60 * 60 * 24,
 * });
 * ```
 */
export async function signAssertion(options: AssertionOptions): Promise<string> {
  // The signer's work without the signer: a one-shot script signs once, and the signer's
  // closures are code a fresh process would compile for nothing.
  const { channelId, kid, tokenExpSec, lifetimeSec, now } = normalizeAssertionOptions(options);
  const state = await keyStateOf(options.privateKey);
  return signClaims(
    state,
    { alg: 'RS256', typ: 'JWT', kid },
    channelId,
    lifetimeSec,
    tokenExpSec,
    now,
  );
}

/** Reads the clock, builds the claims and signs them: what every assertion ends with. */
function signClaims(
  state: KeyState,
  header: AssertionHeader,
  channelId: string,
  lifetimeSec: number,
  tokenExp: number | undefined,
  now: () => number,
): string | Promise<string> {
  const nowMs = now();
  if (!Number.isFinite(nowMs)) {
    throw new InvalidArgumentError(
      'now',
      '"now" option returned a value that is not a finite number of epoch milliseconds',
    );
  }
  const iat = Math.floor(nowMs / 1000);
  const claims: Record<string, unknown> = {
    iss: channelId,
    sub: channelId,
    aud: LINE_ASSERTION_AUDIENCE,
    exp: iat + lifetimeSec,
  };
  if (tokenExp !== undefined) claims['token_exp'] = tokenExp;
  // WebCrypto through jose, or node:crypto under the `node` condition (`#signing`).
  return signRs256(state.signingKey, header, JSON.stringify(claims));
}
