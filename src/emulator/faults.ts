/**
 * Fault injection: what a flaky network and an overloaded LINE look like to a client.
 * Decisions come from a seeded RNG, so the same seed and the same request order replay the
 * same faults.
 *
 * @module
 */
import { ALL_OPERATIONS } from '../client/options.js';
import { seededRandom } from '../internal/seeded-random.js';
import type { OperationName } from '../client/types.js';
import { adminFailure } from './internal/admin-error.js';
import type { Fault, FaultConfig, FaultRule } from './types.js';

/** Default seed of the fault RNG. */
export const DEFAULT_FAULT_SEED = 1;

const OPERATION_NAMES: ReadonlySet<string> = new Set<string>(ALL_OPERATIONS);

/** What to do with one request. */
export interface FaultDecision {
  latencyMs: number;
  fault: Fault | undefined;
}

const NO_FAULT: FaultDecision = { latencyMs: 0, fault: undefined };

const fail = (argument: string, message: string) => adminFailure(400, argument, message);

// The longest a lost answer may be held back, ms: ten minutes outlasts any client timeout.
const MAX_LOST_ANSWER_DELAY_MS = 600_000;

// "lost-answer": the operation runs, then its answer is dropped (the default), replaced by
// a 5xx, or delayed; at most one of `status` and `delayMs`.
function checkLostAnswer(f: Record<string, unknown>, where: string): Fault {
  const status = f['status'];
  const delayMs = f['delayMs'];
  if (status !== undefined && delayMs !== undefined) {
    throw fail(where, `${where} takes "status" or "delayMs", not both`);
  }
  if (status !== undefined) {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 500 || status > 599) {
      throw fail(where, `${where}.status must be an integer from 500 to 599`);
    }
    return { type: 'lost-answer', status };
  }
  if (delayMs !== undefined) {
    if (
      typeof delayMs !== 'number' ||
      !Number.isFinite(delayMs) ||
      delayMs < 0 ||
      delayMs > MAX_LOST_ANSWER_DELAY_MS
    ) {
      throw fail(
        where,
        `${where}.delayMs must be a number of ms from 0 to ${MAX_LOST_ANSWER_DELAY_MS}`,
      );
    }
    return { type: 'lost-answer', delayMs };
  }
  return { type: 'lost-answer' };
}

function checkFault(value: unknown, where: string): Fault {
  if (typeof value !== 'object' || value === null)
    throw fail(where, `${where} must be a fault object`);
  const f = value as Record<string, unknown>;
  switch (f['type']) {
    case 'status': {
      const status = f['status'];
      if (typeof status !== 'number' || !Number.isInteger(status) || status < 500 || status > 599) {
        throw fail(where, `${where}.status must be an integer from 500 to 599`);
      }
      return { type: 'status', status };
    }
    case 'rate-limit': {
      const retry = f['retryAfterSec'];
      if (retry === undefined) return { type: 'rate-limit' };
      if (typeof retry !== 'number' || !Number.isInteger(retry) || retry < 0 || retry > 86_400) {
        throw fail(where, `${where}.retryAfterSec must be an integer from 0 to 86400`);
      }
      return { type: 'rate-limit', retryAfterSec: retry };
    }
    case 'reset':
    case 'malformed':
    case 'html-502':
      return { type: f['type'] };
    case 'lost-answer':
      return checkLostAnswer(f, where);
    default:
      throw fail(
        where,
        `${where}.type must be one of "status", "rate-limit", "reset", "malformed", "html-502", "lost-answer"`,
      );
  }
}

const isProbability = (p: unknown): p is number =>
  typeof p === 'number' && Number.isFinite(p) && p >= 0 && p <= 1;
const isDelay = (ms: unknown): ms is number =>
  typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 && ms <= 60_000;

function checkRule(value: unknown, where: string): FaultRule {
  if (typeof value !== 'object' || value === null) throw fail(where, `${where} must be an object`);
  const r = value as Record<string, unknown>;
  const rule: FaultRule = {};
  if (r['sequence'] !== undefined) {
    if (!Array.isArray(r['sequence'])) throw fail(where, `${where}.sequence must be an array`);
    rule.sequence = r['sequence'].map((s, i) =>
      s === 'pass' ? 'pass' : checkFault(s, `${where}.sequence[${i}]`),
    );
  }
  if (r['random'] !== undefined) {
    if (!Array.isArray(r['random'])) throw fail(where, `${where}.random must be an array`);
    let total = 0;
    rule.random = r['random'].map((entry: unknown, i) => {
      const at = `${where}.random[${i}]`;
      const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
        string,
        unknown
      >;
      if (!isProbability(e['probability'])) throw fail(at, `${at}.probability must be in 0..1`);
      total += e['probability'];
      return { probability: e['probability'], fault: checkFault(e['fault'], `${at}.fault`) };
    });
    if (total > 1 + 1e-9)
      throw fail(where, `${where}.random probabilities must add up to at most 1`);
  }
  const latency = r['latencyMs'];
  if (latency !== undefined) {
    if (isDelay(latency)) rule.latencyMs = latency;
    else if (
      typeof latency === 'object' &&
      latency !== null &&
      isDelay((latency as { min?: unknown }).min) &&
      isDelay((latency as { max?: unknown }).max) &&
      (latency as { min: number }).min <= (latency as { max: number }).max
    ) {
      const { min, max } = latency as { min: number; max: number };
      rule.latencyMs = { min, max };
    } else {
      throw fail(where, `${where}.latencyMs must be 0..60000 ms or {min, max} within it`);
    }
  }
  return rule;
}

/** Validates a fault configuration, throwing an InvalidArgumentError naming the bad member. */
export function checkFaultConfig(value: unknown): FaultConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail('faults', 'the fault configuration must be an object');
  }
  const c = value as Record<string, unknown>;
  const config: FaultConfig = {};
  if (c['seed'] !== undefined) {
    if (typeof c['seed'] !== 'number' || !Number.isInteger(c['seed'])) {
      throw fail('seed', '"seed" must be an integer');
    }
    config.seed = c['seed'];
  }
  if (c['global'] !== undefined) config.global = checkRule(c['global'], 'global');
  if (c['operations'] !== undefined) {
    const ops = c['operations'];
    if (typeof ops !== 'object' || ops === null)
      throw fail('operations', '"operations" must be an object');
    config.operations = {};
    for (const [name, rule] of Object.entries(ops)) {
      if (!OPERATION_NAMES.has(name)) {
        throw fail('operations', `unknown operation "${name}" in "operations"`);
      }
      config.operations[name as OperationName] = checkRule(rule, `operations.${name}`);
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

  /** Decides the fate of one request to `operation`. */
  decide(operation: OperationName): FaultDecision {
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
