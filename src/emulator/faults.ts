/**
 * Fault injection: what a flaky network and an overloaded LINE look like to a client.
 * Decisions come from a seeded RNG, so the same seed and the same request order replay the
 * same faults.
 *
 * @module
 */
import { ALL_OPERATIONS } from '../client/options.js';
import { seededRandom } from '../internal/seeded-random.js';
import { optionNames } from '../internal/options-spec.js';
import type { OperationName } from '../client/types.js';
import {
  fractionOption,
  integerOption,
  invalidOption,
  numberOption,
  objectOption,
  oneOfOption,
  rejectUnknownOptions,
} from '../internal/validate.js';
import { adminFailure } from './internal/admin-error.js';
import type { Fault, FaultConfig, FaultRule, MessagingEndpoint } from './types.js';

/** The Messaging API endpoints a fault rule can name, besides the token API's operations. */
export const MESSAGING_ENDPOINTS: readonly MessagingEndpoint[] = [
  'botInfo',
  'push',
  'reply',
  'broadcast',
  'multicast',
  'profile',
  'followers',
  'quota',
  'quotaConsumption',
];
const RULE_NAMES: readonly string[] = [...ALL_OPERATIONS, ...MESSAGING_ENDPOINTS];

/** What to do with one request. */
export interface FaultDecision {
  latencyMs: number;
  fault: Fault | undefined;
}

const NO_FAULT: FaultDecision = { latencyMs: 0, fault: undefined };

// The longest a lost answer may be held back, ms: ten minutes outlasts any client timeout.
const MAX_LOST_ANSWER_DELAY_MS = 600_000;
const MAX_LATENCY_MS = 60_000;
const FAULT_TYPES = ['status', 'rate-limit', 'reset', 'malformed', 'html-502', 'lost-answer'];
type FaultOf<T extends Fault['type']> = Omit<Extract<Fault, { type: T }>, 'type'>;
// The members each fault type takes besides `type`, checked against the types by the
// compiler (optionNames), as are the key lists below.
const FAULT_MEMBERS: Record<string, readonly string[]> = {
  status: optionNames<FaultOf<'status'>>({ status: true }),
  'rate-limit': optionNames<FaultOf<'rate-limit'>>({ retryAfterSec: true }),
  'lost-answer': optionNames<FaultOf<'lost-answer'>>({ status: true, delayMs: true }),
};
const RULE_KEYS = optionNames<FaultRule>({ sequence: true, random: true, latencyMs: true });
const RANDOM_ENTRY_KEYS = optionNames<NonNullable<FaultRule['random']>[number]>({
  probability: true,
  fault: true,
});
const LATENCY_KEYS = optionNames<Exclude<FaultRule['latencyMs'], number | undefined>>({
  min: true,
  max: true,
});
const CONFIG_KEYS = optionNames<FaultConfig>({ seed: true, global: true, operations: true });

// A member of the fault configuration, checked with the toolkit's message format; an
// admin failure (HTTP 400) through the admin API, as every InvalidArgumentError is.
function member(where: string, value: unknown, known: readonly string[], what: string) {
  const m = objectOption(where, value);
  if (value === undefined) invalidOption(where, what, value);
  rejectUnknownOptions(m, known, what, `${where}.`);
  return m;
}

const upTo = (limit: number) => ({ min: 0, max: limit, unit: 'milliseconds' });

function checkFault(value: unknown, where: string): Fault {
  const f = objectOption(where, value);
  if (value === undefined) invalidOption(where, 'a fault object', value);
  const type = f['type'];
  if (typeof type !== 'string' || !FAULT_TYPES.includes(type)) {
    oneOfOption(`${where}.type`, type ?? null, FAULT_TYPES, 'status');
  }
  rejectUnknownOptions(f, ['type', ...(FAULT_MEMBERS[type as string] ?? [])], 'fault', `${where}.`);
  const status = (fallback?: number) =>
    integerOption(`${where}.status`, f['status'], fallback as number, { min: 500, max: 599 });
  switch (type as Fault['type']) {
    case 'status':
      if (f['status'] === undefined)
        invalidOption(`${where}.status`, 'an integer from 500 to 599', undefined);
      return { type: 'status', status: status() };
    case 'rate-limit': {
      if (f['retryAfterSec'] === undefined) return { type: 'rate-limit' };
      const retryAfterSec = integerOption(`${where}.retryAfterSec`, f['retryAfterSec'], 0, {
        min: 0,
        max: 86_400,
      });
      return { type: 'rate-limit', retryAfterSec };
    }
    case 'lost-answer':
      // The operation runs, then its answer is dropped (the default), replaced by a 5xx,
      // or delayed; at most one of `status` and `delayMs`.
      if (f['status'] !== undefined && f['delayMs'] !== undefined) {
        throw adminFailure(400, where, `"${where}" takes "status" or "delayMs", not both`);
      }
      if (f['status'] !== undefined) return { type: 'lost-answer', status: status() };
      if (f['delayMs'] !== undefined) {
        const delayMs = numberOption(
          `${where}.delayMs`,
          f['delayMs'],
          0,
          upTo(MAX_LOST_ANSWER_DELAY_MS),
        );
        return { type: 'lost-answer', delayMs };
      }
      return { type: 'lost-answer' };
    default:
      return { type: type as 'reset' | 'malformed' | 'html-502' };
  }
}

function checkLatency(value: unknown, where: string): NonNullable<FaultRule['latencyMs']> {
  if (typeof value === 'number') return numberOption(where, value, 0, upTo(MAX_LATENCY_MS));
  const what = `0 to ${MAX_LATENCY_MS} milliseconds, or { min, max } within that range`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalidOption(where, what, value);
  }
  const l = member(where, value, LATENCY_KEYS, 'latencyMs');
  const min = numberOption(`${where}.min`, l['min'] ?? null, 0, upTo(MAX_LATENCY_MS));
  const max = numberOption(`${where}.max`, l['max'] ?? null, 0, upTo(MAX_LATENCY_MS));
  if (min > max) invalidOption(`${where}.max`, `at least "${where}.min" (${min})`, max);
  return { min, max };
}

function checkRule(value: unknown, where: string): FaultRule {
  const r = member(where, value, RULE_KEYS, 'fault rule');
  const rule: FaultRule = {};
  const list = (name: string): unknown[] | undefined => {
    const items = r[name];
    if (items === undefined) return undefined;
    if (!Array.isArray(items)) invalidOption(`${where}.${name}`, 'an array', items);
    return items as unknown[];
  };
  const sequence = list('sequence');
  if (sequence) {
    rule.sequence = sequence.map((s, i) =>
      s === 'pass' ? 'pass' : checkFault(s, `${where}.sequence[${i}]`),
    );
  }
  const random = list('random');
  if (random) {
    let total = 0;
    rule.random = random.map((entry: unknown, i) => {
      const at = `${where}.random[${i}]`;
      const e = member(at, entry, RANDOM_ENTRY_KEYS, 'random fault');
      const probability = fractionOption(`${at}.probability`, e['probability'] ?? null, 0, true);
      total += probability;
      return { probability, fault: checkFault(e['fault'], `${at}.fault`) };
    });
    if (total > 1 + 1e-9) {
      throw adminFailure(
        400,
        `${where}.random`,
        `"${where}.random" probabilities must add up to at most 1 (got ${total})`,
      );
    }
  }
  if (r['latencyMs'] !== undefined)
    rule.latencyMs = checkLatency(r['latencyMs'], `${where}.latencyMs`);
  return rule;
}

/** Validates a fault configuration, throwing an InvalidArgumentError naming the bad member. */
export function checkFaultConfig(value: unknown): FaultConfig {
  const c = objectOption('faults', value ?? null);
  rejectUnknownOptions(c, CONFIG_KEYS, 'fault configuration');
  const config: FaultConfig = {};
  if (c['seed'] !== undefined) {
    if (!Number.isInteger(c['seed'])) invalidOption('seed', 'an integer', c['seed']);
    config.seed = c['seed'] as number;
  }
  if (c['global'] !== undefined) config.global = checkRule(c['global'], 'global');
  if (c['operations'] !== undefined) {
    const ops = member('operations', c['operations'], RULE_NAMES, 'operations');
    config.operations = {};
    for (const [name, rule] of Object.entries(ops)) {
      if (rule === undefined) continue;
      config.operations[name as OperationName | MessagingEndpoint] = checkRule(
        rule,
        `operations.${name}`,
      );
    }
  }
  return config;
}

/** The live fault state: configuration, per-rule sequence positions and the RNG. */
export class FaultInjector {
  #config: FaultConfig = {};
  #positions = new Map<FaultRule, number>();
  #random: () => number;

  readonly #defaultSeed: number;

  constructor(defaultSeed: number) {
    this.#defaultSeed = defaultSeed;
    this.#random = seededRandom(defaultSeed);
  }

  /** Replaces the configuration (already validated); a seed in it restarts the RNG. */
  set(config: FaultConfig): void {
    this.#config = config;
    this.#positions = new Map();
    if (config.seed !== undefined) this.#random = seededRandom(config.seed);
  }

  /** Back to no faults and the initial seed. */
  clear(): void {
    this.set({ seed: this.#defaultSeed });
    this.#config = {};
  }

  /** The configuration in force. */
  get current(): FaultConfig {
    return this.#config;
  }

  /** Whether any fault or latency is configured (the hot path skips everything otherwise). */
  get active(): boolean {
    return this.#config.global !== undefined || this.#config.operations !== undefined;
  }

  /** Decides the fate of one request to `operation` (a token operation or a Messaging endpoint). */
  decide(operation: OperationName | MessagingEndpoint): FaultDecision {
    const rule = this.#config.operations?.[operation] ?? this.#config.global;
    if (!rule) return NO_FAULT;
    const latencyMs = this.#latency(rule);
    const sequence = rule.sequence;
    if (sequence) {
      const at = this.#positions.get(rule) ?? 0;
      if (at < sequence.length) {
        this.#positions.set(rule, at + 1);
        const step = sequence[at];
        return { latencyMs, fault: step === 'pass' ? undefined : step };
      }
    }
    if (rule.random) {
      const draw = this.#random();
      let edge = 0;
      for (const entry of rule.random) {
        edge += entry.probability;
        if (draw < edge) return { latencyMs, fault: entry.fault };
      }
    }
    return { latencyMs, fault: undefined };
  }

  #latency(rule: FaultRule): number {
    const l = rule.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return l;
    return l.min + this.#random() * (l.max - l.min);
  }
}
