/**
 * The emulator without its HTTP server: state, faults, rate limits, counters and the admin
 * actions. The in-process admin and the HTTP admin routes both call these methods, so the
 * two behave the same.
 *
 * @module
 */
import type { OperationName } from '../../client/types.js';
import { checkFaultConfig, FaultInjector } from '../faults.js';
import { Friends } from '../friends.js';
import { MessageLog, type MessagingContext } from '../messaging-context.js';
import { ReplyTokens } from '../reply-tokens.js';
import { RetryKeys } from '../retry-keys.js';
import { Webhooks } from '../webhooks.js';
import type { OperationContext } from '../operations.js';
import { RateLimiter, type RateClass } from '../rate-limit.js';
import { adminBody } from './admin-input.js';
import { ADMIN_MEMBERS } from './admin-members.js';
import { EmulatorState } from '../state.js';
import type {
  EmulatorAdmin,
  EmulatorFriend,
  EmulatorMessage,
  EmulatorStats,
  EmulatorTokenInfo,
  FaultConfig,
  MessagingOutcome,
  MessagingTokenFamily,
} from '../types.js';

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
export class EmulatorCore implements OperationContext, MessagingContext {
  readonly state: EmulatorState;
  readonly faults: FaultInjector;
  readonly messages = new MessageLog();
  readonly friends = new Friends();
  readonly retryKeys = new RetryKeys();
  readonly replyTokens = new ReplyTokens();
  readonly webhooks: Webhooks;
  readonly #limiter: RateLimiter | undefined;
  #requests: Record<string, number> = Object.create(null) as Record<string, number>;
  #messaging: NonNullable<EmulatorStats['messagingApi']> = {};

  readonly #options: CoreOptions;

  constructor(options: CoreOptions) {
    this.#options = options;
    this.state = new EmulatorState(options.now);
    this.faults = new FaultInjector(options.seed);
    this.webhooks = new Webhooks(this.state, this.friends, this.replyTokens);
    this.#limiter = options.rateLimit ? new RateLimiter(options.rateClock) : undefined;
    this.#createInitialChannels();
  }

  readonly admit = (channelId: string, endpoint: RateClass): boolean =>
    this.#limiter === undefined || this.#limiter.take(channelId, endpoint);

  /** Counts one request to an operation (faulted and refused ones included). */
  count(operation: OperationName): void {
    this.#requests[operation] = (this.#requests[operation] ?? 0) + 1;
  }

  /** Counts one Messaging API call by the family of its token and its outcome. */
  countMessaging(family: MessagingTokenFamily, outcome: MessagingOutcome): void {
    const byOutcome = (this.#messaging[family] ??= {});
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
  }

  listMessages(channelId: string): EmulatorMessage[] {
    this.state.requireChannel(channelId);
    return this.messages.list(channelId);
  }

  addFriend(channelId: string, friend: unknown): EmulatorFriend {
    this.state.requireChannel(channelId);
    const f = adminBody(friend, ADMIN_MEMBERS.addFriend, 'addFriend');
    return this.friends.follow(channelId, f);
  }

  listFriends(channelId: string): EmulatorFriend[] {
    this.state.requireChannel(channelId);
    return this.friends.list(channelId);
  }

  setMessageQuota(channelId: string, limit: unknown): void {
    this.state.requireChannel(channelId);
    this.friends.setLimit(channelId, limit);
  }

  createChannel(input?: { id?: unknown; secret?: unknown }): { id: string; secret: string } {
    return this.state.createChannel(input);
  }

  registerKey(channelId: string, publicJwk: unknown, kid?: unknown): { kid: string } {
    return this.state.registerKey(channelId, publicJwk, kid);
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
    // messagingApi only once the stand-in was called: token-API-only tests see what they saw.
    const messagingApi = Object.keys(this.#messaging).length > 0 ? this.#messaging : undefined;
    return {
      requests: { ...this.#requests },
      ...(messagingApi && { messagingApi: structuredClone(messagingApi) }),
    };
  }

  reset(): void {
    this.state.clear();
    this.faults.clear();
    this.#limiter?.clear();
    this.#requests = Object.create(null) as Record<string, number>;
    this.#messaging = {};
    this.messages.clear();
    this.friends.clear();
    this.retryKeys.clear();
    this.replyTokens.clear();
    this.webhooks.clear();
    this.#createInitialChannels();
  }

  /** An {@link EmulatorAdmin} acting on this core directly. */
  admin(): EmulatorAdmin {
    return {
      // The same checks of the inputs as over HTTP: a misspelt member is refused.
      createChannel: async (input) =>
        this.createChannel(adminBody(input, ADMIN_MEMBERS.createChannel, 'createChannel')),
      registerKey: async (channelId, jwk, options) =>
        this.registerKey(
          channelId,
          jwk,
          adminBody(options, ADMIN_MEMBERS.registerKey, 'registerKey')['kid'],
        ),
      deleteKey: async (channelId, kid) => this.deleteKey(channelId, kid),
      listTokens: async (channelId) => this.listTokens(channelId),
      issueLongLived: async (channelId, options) =>
        this.issueLongLived(
          channelId,
          adminBody(options, ADMIN_MEMBERS.issueLongLived, 'issueLongLived')['graceSec'],
        ),
      setFaults: async (faults: FaultConfig) => this.setFaults(faults),
      advanceClock: async (seconds) => this.advanceClock(seconds),
      listMessages: async (channelId) => this.listMessages(channelId),
      stats: async () => this.stats(),
      reset: async () => this.reset(),
      setWebhook: async (channelId, url) => this.webhooks.setUrl(channelId, url),
      sendMessage: async (channelId, message) =>
        this.webhooks.send(channelId, {
          ...adminBody(message, ADMIN_MEMBERS.sendMessage, 'sendMessage'),
          type: 'message',
        }),
      sendEvent: async (channelId, event) => this.webhooks.send(channelId, event),
      listDeliveries: async (channelId) => this.webhooks.list(channelId),
      redeliver: async (channelId, deliveryId) => this.webhooks.redeliver(channelId, deliveryId),
      addFriend: async (channelId, friend) => this.addFriend(channelId, friend),
      listFriends: async (channelId) => this.listFriends(channelId),
      setMessageQuota: async (channelId, limit) => this.setMessageQuota(channelId, limit),
    };
  }

  #createInitialChannels(): void {
    for (const channel of this.#options.channels) this.state.createChannel(channel);
  }
}
