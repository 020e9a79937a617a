// The emulator without its HTTP server: state, faults, rate limits, counters and the admin
// actions. The in-process admin and the HTTP admin routes both call these methods, so the
// two behave the same.
import type { OperationName } from '../client/types.js';
import { checkFaultConfig, FaultInjector } from './faults.js';
import type { OperationContext } from './operations.js';
import { RateLimiter, type RateClass } from './rate-limit.js';
import { EmulatorState } from './state.js';
import type { EmulatorAdmin, EmulatorStats, EmulatorTokenInfo, FaultConfig } from './types.js';

/** Normalized options the core needs. */
export interface CoreOptions {
  now: () => number;
  rateLimit: boolean;
  seed: number;
  channels: ReadonlyArray<{ id: string; secret: string }>;
  /** Real-time clock of the rate limiter, ms (tests freeze it). Default `performance.now`. */
  rateClock?: () => number;
}

/** One emulator's world. */
export class EmulatorCore implements OperationContext {
  readonly state: EmulatorState;
  readonly faults: FaultInjector;
  private readonly limiter: RateLimiter | undefined;
  private requests: Record<string, number> = Object.create(null) as Record<string, number>;

  constructor(private readonly options: CoreOptions) {
    this.state = new EmulatorState(options.now);
    this.faults = new FaultInjector(options.seed);
    this.limiter = options.rateLimit ? new RateLimiter(options.rateClock) : undefined;
    this.createInitialChannels();
  }

  readonly admit = (channelId: string, rateClass: RateClass): boolean =>
    this.limiter === undefined || this.limiter.take(channelId, rateClass);

  /** Counts one request to an operation (faulted and refused ones included). */
  count(operation: OperationName): void {
    this.requests[operation] = (this.requests[operation] ?? 0) + 1;
  }

  createChannel(input?: { id?: unknown; secret?: unknown }): { id: string; secret: string } {
    return this.state.createChannel(input);
  }

  registerKey(channelId: string, publicJwk: unknown): Promise<{ kid: string }> {
    return this.state.registerKey(channelId, publicJwk);
  }

  deleteKey(channelId: string, kid: string): void {
    this.state.deleteKey(channelId, kid);
  }

  listTokens(channelId: string): EmulatorTokenInfo[] {
    return this.state.liveTokens(channelId);
  }

  issueLongLived(channelId: string, graceSec?: unknown): { accessToken: string } {
    return { accessToken: this.state.issueLongLived(channelId, graceSec).token };
  }

  setFaults(faults: unknown): void {
    this.faults.set(checkFaultConfig(faults));
  }

  advanceClock(seconds: unknown): { now: number } {
    return { now: this.state.advanceClock(seconds as number) };
  }

  stats(): EmulatorStats {
    return { requests: { ...this.requests } };
  }

  reset(): void {
    this.state.clear();
    this.faults.clear();
    this.limiter?.clear();
    this.requests = Object.create(null) as Record<string, number>;
    this.createInitialChannels();
  }

  /** An {@link EmulatorAdmin} acting on this core directly. */
  admin(): EmulatorAdmin {
    return {
      createChannel: async (input) => this.createChannel(input),
      registerKey: (channelId, jwk) => this.registerKey(channelId, jwk),
      deleteKey: async (channelId, kid) => this.deleteKey(channelId, kid),
      listTokens: async (channelId) => this.listTokens(channelId),
      issueLongLived: async (channelId, options) =>
        this.issueLongLived(channelId, options?.graceSec),
      setFaults: async (faults: FaultConfig) => this.setFaults(faults),
      advanceClock: async (seconds) => this.advanceClock(seconds),
      stats: async () => this.stats(),
      reset: async () => this.reset(),
    };
  }

  private createInitialChannels(): void {
    for (const channel of this.options.channels) this.state.createChannel(channel);
  }
}
