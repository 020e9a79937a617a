/**
 * Turns a {@link TokenStrategy} into the few operations the manager needs (issue, revoke,
 * list key ids), checked once at construction. The only module of the manager that
 * knows which client call and which assertion each strategy takes.
 *
 * @module
 */
import { createAssertionSigner, type AssertionSigner } from '../../assertion/index.js';
import type { ChannelAccessTokenClient } from '../../client/client.js';
import { MAX_ISSUED_EXPIRES_IN_SEC as MAX_EXPIRES_IN_SEC } from '../../line/facts.js';
import { InvalidArgumentError } from '../../errors.js';
import { checked, verdictOf, within, type CallLimits } from './issuer-calls.js';
import { DEFAULT_TOKEN_EXP_SEC } from '../constants.js';
import type { TokenStrategy } from '../types.js';

export type { CallLimits };

/** A token as the issuer got it. Timestamps are epoch ms. */
export interface Issued {
  readonly accessToken: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly keyId: string | undefined;
}

/** What the manager can do for one channel and strategy. */
export interface Issuer {
  readonly type: 'v2.1' | 'stateless' | 'short-lived';
  readonly channelId: string;
  /** The assertion key id, for strategies that sign assertions (it names the key in errors). */
  readonly kid?: string | undefined;
  /** Issues a token, giving LINE `timeoutMs` to answer. */
  issue(timeoutMs: number): Promise<Issued>;
  /** The longest a token of this issuer can live, ms: how long a lost one may stay live. */
  readonly maxLifetimeMs: number;
  /** Revokes a token of this strategy; `undefined` when that is impossible. */
  readonly revoke: ((accessToken: string) => Promise<void>) | undefined;
  /** Why tokens could be revoked but cannot be here (v2.1 without a channel secret). */
  readonly cannotRevoke: string | undefined;
  /** Lists the channel's live v2.1 key ids; v2.1 only. */
  readonly listKeyIds: (() => Promise<string[]>) | undefined;
  /**
   * Asks LINE whether a token is still valid (`false`: LINE refused it as expired,
   * revoked or unknown); rejects when LINE could not say. `undefined` when the client
   * cannot verify.
   */
  readonly verify: ((accessToken: string) => Promise<boolean>) | undefined;
}

/** The static strategy, checked. */
export interface StaticToken {
  readonly accessToken: string;
  readonly expiresAt: number;
  readonly channelId: string | undefined;
}

type Strategy = Record<string, unknown>;

const KEYS: Record<string, readonly string[]> = {
  'v2.1': ['type', 'channelId', 'kid', 'privateKey', 'tokenExpSec', 'channelSecret'],
  stateless: ['type', 'channelId', 'channelSecret', 'kid', 'privateKey'],
  'short-lived': ['type', 'channelId', 'channelSecret'],
  static: ['type', 'accessToken', 'expiresAt', 'channelId'],
};

function fail(name: string, message: string): never {
  throw new InvalidArgumentError(name, message);
}

function channelIdOf(s: Strategy, required: boolean): string | undefined {
  const value = s.channelId;
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) {
    fail(
      'strategy.channelId',
      '"strategy.channelId" must be the channel id as a string of digits, as the LINE Developers Console shows it',
    );
  }
  return value;
}

// Messages never echo the value: a secret pasted into the wrong field must not reach a log.
function secretOf(s: Strategy, name: string): string {
  const value = s[name];
  if (typeof value !== 'string' || value.trim() === '') {
    fail(`strategy.${name}`, `"strategy.${name}" must be a non-empty string`);
  }
  return value;
}

function checkShape(strategy: unknown): Strategy {
  if (typeof strategy !== 'object' || strategy === null) {
    fail(
      'strategy',
      '"strategy" option must be an object such as { type: "v2.1", channelId, kid, privateKey }',
    );
  }
  const s = strategy as Strategy;
  const known = typeof s.type === 'string' ? KEYS[s.type] : undefined;
  if (known === undefined) {
    fail('strategy.type', '"strategy.type" must be "v2.1", "stateless", "short-lived" or "static"');
  }
  for (const key of Object.keys(s)) {
    if (!known.includes(key))
      fail(`strategy.${key}`, `"strategy.${key}" is not used by a ${String(s.type)} strategy`);
  }
  return s;
}

/** Checks a static strategy; `undefined` for the other types. */
export function staticTokenOf(strategy: TokenStrategy): StaticToken | undefined {
  const s = checkShape(strategy);
  if (s.type !== 'static') return undefined;
  const accessToken = secretOf(s, 'accessToken');
  const expiresAt = s.expiresAt ?? Number.POSITIVE_INFINITY;
  if (typeof expiresAt !== 'number' || Number.isNaN(expiresAt)) {
    fail('strategy.expiresAt', '"strategy.expiresAt" must be the expiry as epoch milliseconds');
  }
  return { accessToken, expiresAt, channelId: channelIdOf(s, false) };
}

/**
 * Builds the issuer of a v2.1, stateless or short-lived strategy. Assertion options are
 * checked now (the key itself is imported on first use and its failure is an
 * `InvalidKeyError` from `getToken()`).
 */
export function createIssuer(
  strategy: TokenStrategy,
  client: ChannelAccessTokenClient,
  now: () => number,
  limits: CallLimits,
): Issuer {
  const call = <T>(
    operation: string,
    ms: number,
    run: (options: { signal: AbortSignal }) => Promise<T>,
  ): Promise<T> => within(limits, operation, ms, run);
  const s = checkShape(strategy);
  const channelId = channelIdOf(s, true) as string;
  // A client of the user's own making may lack the verify calls: then a 401 is trusted.
  const v2Verify =
    typeof client.verify === 'function'
      ? (accessToken: string) =>
          call('verify', limits.callTimeoutMs, (o) => client.verify({ accessToken }, o)).then(
            () => true,
            verdictOf,
          )
      : undefined;
  const signerOf = (tokenExpSec: unknown): AssertionSigner =>
    createAssertionSigner({
      channelId,
      kid: s.kid as string,
      privateKey: s.privateKey as never,
      ...(tokenExpSec === undefined ? {} : { tokenExpSec: tokenExpSec as number }),
      now,
    });

  if (s.type === 'short-lived') {
    const channelSecret = secretOf(s, 'channelSecret');
    return {
      type: 'short-lived',
      channelId,
      kid: undefined,
      maxLifetimeMs: MAX_EXPIRES_IN_SEC['issueShortLived']! * 1000,
      async issue(timeoutMs) {
        const issuedAt = now();
        const t = await call('issueShortLived', timeoutMs, (o) =>
          client.issueShortLived({ channelId, channelSecret }, o),
        );
        return checked('issueShortLived', {
          accessToken: t.accessToken,
          issuedAt,
          expiresAt: t.expiresAt,
          keyId: undefined,
        });
      },
      revoke: (accessToken) =>
        call('revoke', limits.callTimeoutMs, (o) => client.revoke({ accessToken }, o)),
      cannotRevoke: undefined,
      listKeyIds: undefined,
      verify: v2Verify,
    };
  }

  if (s.type === 'stateless') {
    const bySecret = s.channelSecret !== undefined;
    if (bySecret === (s.kid !== undefined || s.privateKey !== undefined)) {
      fail(
        'strategy',
        'a stateless strategy takes either "channelSecret" or "kid" and "privateKey", ' +
          (bySecret ? 'not both' : 'and got neither'),
      );
    }
    let credentials: () => Promise<Parameters<ChannelAccessTokenClient['issueStateless']>[0]>;
    if (bySecret) {
      const channelSecret = secretOf(s, 'channelSecret');
      credentials = () => Promise.resolve({ channelId, channelSecret });
    } else {
      const signer = signerOf(undefined);
      credentials = async () => ({ assertion: await signer.sign({ tokenExpSec: null }) });
    }
    return {
      type: 'stateless',
      channelId,
      kid: typeof s.kid === 'string' ? s.kid : undefined,
      maxLifetimeMs: MAX_EXPIRES_IN_SEC['issueStateless']! * 1000,
      async issue(timeoutMs) {
        const params = await credentials();
        const issuedAt = now();
        const t = await call('issueStateless', timeoutMs, (o) => client.issueStateless(params, o));
        return checked('issueStateless', {
          accessToken: t.accessToken,
          issuedAt,
          expiresAt: t.expiresAt,
          keyId: undefined,
        });
      },
      // Stateless tokens cannot be revoked: they simply expire (docs/line-rules.md).
      revoke: undefined,
      cannotRevoke: undefined,
      listKeyIds: undefined,
      verify: v2Verify,
    };
  }

  // v2.1
  // LINE refuses a v2.1 issue without token_exp, so an absent tokenExpSec means our default.
  const tokenExpSec = (s.tokenExpSec as number | undefined) ?? DEFAULT_TOKEN_EXP_SEC;
  const signer = signerOf(tokenExpSec);
  const channelSecret = s.channelSecret === undefined ? undefined : secretOf(s, 'channelSecret');
  return {
    type: 'v2.1',
    channelId,
    kid: s.kid as string,
    // The signer checked tokenExpSec; a number is all that can reach here.
    maxLifetimeMs: (typeof tokenExpSec === 'number' ? tokenExpSec : DEFAULT_TOKEN_EXP_SEC) * 1000,
    async issue(timeoutMs) {
      const assertion = await signer.sign();
      const issuedAt = now();
      const t = await call('issueV21', timeoutMs, (o) => client.issueV21({ assertion }, o));
      return checked('issueV21', {
        accessToken: t.accessToken,
        issuedAt,
        expiresAt: t.expiresAt,
        keyId: t.keyId,
      });
    },
    revoke:
      channelSecret === undefined
        ? undefined
        : (accessToken) =>
            call('revokeV21', limits.callTimeoutMs, (o) =>
              client.revokeV21({ channelId, channelSecret, accessToken }, o),
            ),
    cannotRevoke:
      channelSecret === undefined
        ? 'v2.1 tokens the manager replaces or leaves at close() are not revoked because the strategy has no "channelSecret" (LINE\'s v2.1 revoke needs it); they stay live until they expire'
        : undefined,
    listKeyIds: async () => {
      const assertion = await signer.sign({ tokenExpSec: null });
      return call('getValidKeyIds', limits.callTimeoutMs, (o) =>
        client.getValidKeyIds({ assertion }, o),
      );
    },
    verify:
      typeof client.verifyV21 === 'function'
        ? (accessToken) =>
            call('verifyV21', limits.callTimeoutMs, (o) =>
              client.verifyV21({ accessToken }, o),
            ).then(() => true, verdictOf)
        : undefined,
  };
}
