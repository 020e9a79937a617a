// A scripted issuer for the manager's pure unit tests: no HTTP (that is what the emulator
// tests are for), just numbered tokens on the fake clock, failures on demand, and a record
// of every call, so the refresh logic can be checked decision by decision.
import type { Issued, Issuer } from '../../../src/manager/internal/issuer.js';
import { normalizeSettings } from '../../../src/manager/internal/options.js';
import { Refresher } from '../../../src/manager/internal/refresher.js';
import { StoreGate } from '../../../src/manager/internal/store-gate.js';
import { MemoryTokenStore } from '../../../src/manager/memory-store.js';
import type { TokenStore } from '../../../src/manager/store.js';
import type { TokenManagerWarning } from '../../../src/manager/types.js';
import type { TokenManagerOptions } from '../../../src/manager/options.js';
import type { FakeClock } from './fake-clock.js';

let tokenSeq = 0;

export class ScriptedIssuer implements Issuer {
  readonly channelId = '1234567890';
  readonly issued: string[] = [];
  readonly revoked: string[] = [];
  issueCalls = 0;
  keyIdCalls = 0;
  /** Errors thrown by the next issue calls, in order. */
  readonly failures: unknown[] = [];
  /** When set, every issue waits for it (to hold a refresh in flight). */
  gate: Promise<void> | undefined;
  liveKeyIds: string[] | undefined;
  readonly revoke: Issuer['revoke'];
  readonly listKeyIds: Issuer['listKeyIds'];
  /** Scripted issuers cannot verify: a 401 report is trusted, as with a client that lacks verify. */
  readonly verify: Issuer['verify'] = undefined;
  readonly cannotRevoke: string | undefined;
  /** The timeout each issue was given, ms. */
  readonly timeouts: number[] = [];
  /** Each issued token's expiry, as LINE would list only the live ones. */
  readonly expiry = new Map<string, number>();

  readonly type: Issuer['type'];
  readonly #clock: FakeClock;
  readonly #lifetimeMs: number;

  get maxLifetimeMs(): number {
    return this.#lifetimeMs;
  }

  constructor(
    clock: FakeClock,
    type: Issuer['type'] = 'v2.1',
    lifetimeMs = 3_600_000,
    options: { revocable?: boolean } = {},
  ) {
    this.#clock = clock;
    this.type = type;
    this.#lifetimeMs = lifetimeMs;
    const revocable = options.revocable ?? type !== 'stateless';
    this.revoke = revocable
      ? (token) => {
          this.revoked.push(token);
          return Promise.resolve();
        }
      : undefined;
    this.cannotRevoke = revocable || type === 'stateless' ? undefined : 'no channel secret';
    this.listKeyIds =
      type === 'v2.1'
        ? () => {
            this.keyIdCalls++;
            return Promise.resolve(
              this.liveKeyIds ??
                this.issued
                  .filter((t) => !this.revoked.includes(t) && this.expiry.get(t)! > clock.now())
                  .map(keyIdOf),
            );
          }
        : undefined;
  }

  async issue(timeoutMs = 0): Promise<Issued> {
    this.issueCalls++;
    this.timeouts.push(timeoutMs);
    if (this.failures.length > 0) throw this.failures.shift();
    await this.gate;
    const accessToken = `token-${++tokenSeq}`;
    this.issued.push(accessToken);
    const issuedAt = this.#clock.now();
    this.expiry.set(accessToken, issuedAt + this.#lifetimeMs);
    return {
      accessToken,
      issuedAt,
      expiresAt: issuedAt + this.#lifetimeMs,
      keyId: this.type === 'v2.1' ? keyIdOf(accessToken) : undefined,
    };
  }
}

// Derived from the token but never containing it, so a leak check on status() stays meaningful.
export const keyIdOf = (token: string): string => `key${token.slice('token-'.length)}`;

export interface Harness {
  refresher: Refresher;
  warnings: TokenManagerWarning[];
  store: TokenStore;
}

/** A Refresher on the fake clock with a fixed jitter draw, as TokenManager would build it. */
export function harness(
  clock: FakeClock,
  issuer: Issuer,
  options: Partial<TokenManagerOptions> & { store?: TokenStore } = {},
): Harness {
  const warnings: TokenManagerWarning[] = [];
  const settings = normalizeSettings({
    strategy: { type: 'static', accessToken: 'unused' },
    now: clock.now,
    timers: clock,
    random: () => 0.5,
    onWarning: (w) => warnings.push(w),
    ...options,
  });
  const store = options.store ?? new MemoryTokenStore({ now: clock.now });
  const gate = new StoreGate(
    store,
    options.storeKey ?? `${issuer.type}:${issuer.channelId}`,
    settings,
    (w) => settings.hooks.onWarning(w),
  );
  return { refresher: new Refresher(issuer, gate, settings), warnings, store };
}
