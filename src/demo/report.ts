/**
 * The demo's opening lines and closing summary, and the checks that decide whether the
 * run showed what it claims: pure functions of what the run counted.
 *
 * @module
 */
import { TOKEN_MANAGER_DEFAULTS } from '../manager/defaults.js';
import type { TokenManagerStatus } from '../manager/types.js';
import { fingerprint, formatSpan, type Style } from './timeline.js';

/** What a demo run counted. */
export interface DemoSummary {
  /** Virtual time covered, ms. */
  readonly spanMs: number;
  readonly tokenExpSec: number;
  /** Rotations the run was asked for. */
  readonly wantedRotations: number;
  /** Tokens the manager issued (the first one plus one per rotation). */
  readonly issued: number;
  /** Superseded tokens the manager revoked. */
  readonly revoked: number;
  /** The most live v2.1 tokens the channel held at once. */
  readonly maxLive: number;
  /** Live v2.1 tokens after the manager closed (its current token stays live). */
  readonly liveAtEnd: number;
  /** "Messaging API calls" served. */
  readonly calls: number;
  /** Calls whose token LINE's verify endpoint refused (expired or revoked). */
  readonly rejected: number;
  /** The manager's own counts, from `status()` after it closed. */
  readonly managerCounts: TokenManagerStatus['counts'];
  /** Requests the emulator received, by kind. */
  readonly requests: {
    readonly issue: number;
    readonly listKeyIds: number;
    readonly revoke: number;
  };
}

/** Facts for the opening lines. */
export interface IntroFacts {
  readonly url: string;
  readonly channelId: string;
  readonly kid: string;
  readonly tokenExpSec: number;
  readonly stepMs: number;
  readonly callsPerStep: number;
  readonly style: Style;
}

const pct = (fraction: number): string => `${Math.round(fraction * 100)}%`;

function table(rows: Array<[string, string]>, style: Style): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${style.dim(label.padEnd(width))}  ${value}`);
}

/** The setup: where the emulator runs, the channel, the key and what the run will do. */
export function renderIntro(facts: IntroFacts): string[] {
  return [
    ...table(
      [
        ['emulator', `${facts.url} (embedded, stops with the demo)`],
        ['channel', `${facts.channelId}, created on the emulator`],
        [
          'signing key',
          `RSA-2048 pair generated; public JWK registered as the Console does it: kid ${fingerprint(facts.kid)}`,
        ],
        [
          'tokens',
          `v2.1, ${formatSpan(facts.tokenExpSec * 1000)} each; refreshed in the last ${pct(
            TOKEN_MANAGER_DEFAULTS.refresh.windowFraction,
          )} of their life (+ up to ${pct(TOKEN_MANAGER_DEFAULTS.refresh.jitter)} jitter); superseded ones revoked after ${formatSpan(
            TOKEN_MANAGER_DEFAULTS.revoke.graceMs,
          )}`,
        ],
        [
          'calls',
          `${facts.callsPerStep} every ${formatSpan(facts.stepMs)} of virtual time, each token checked with LINE's verify endpoint`,
        ],
      ],
      facts.style,
    ),
    '',
  ];
}

/**
 * What went against the manager's promises in this run: too few rotations, duplicate
 * issues, a superseded token left live, more than two live tokens, a refused token served.
 * Empty means the run showed everything it claims.
 */
export function demoProblems(s: DemoSummary): string[] {
  const problems: string[] = [];
  const rotations = Math.max(0, s.issued - 1);
  if (rotations < s.wantedRotations) {
    problems.push(`only ${rotations} of ${s.wantedRotations} rotations happened`);
  }
  if (s.managerCounts.issued !== s.issued || s.managerCounts.revocations !== s.revoked) {
    problems.push(
      `the manager's status counts ${s.managerCounts.issued} issued and ` +
        `${s.managerCounts.revocations} revoked, its hooks ${s.issued} and ${s.revoked}`,
    );
  }
  if (s.requests.issue !== s.issued) {
    problems.push(
      `the emulator received ${s.requests.issue} issue requests for ${s.issued} tokens`,
    );
  }
  if (s.revoked < rotations) {
    problems.push(`${rotations - s.revoked} superseded token(s) were not revoked`);
  }
  if (s.maxLive > 2) problems.push(`the channel held ${s.maxLive} live v2.1 tokens at once`);
  if (s.rejected > 0) problems.push(`${s.rejected} call(s) were served a token LINE refused`);
  return problems;
}

/** The closing summary. */
export function renderSummary(s: DemoSummary, style: Style): string[] {
  const rotations = Math.max(0, s.issued - 1);
  const problems = demoProblems(s);
  return [
    '',
    style.bold('summary'),
    ...table(
      [
        ['virtual time', `${formatSpan(s.spanMs)} (tokens of ${formatSpan(s.tokenExpSec * 1000)})`],
        ['rotations', `${rotations} (${s.issued} tokens issued)`],
        [
          'issue requests',
          `${s.requests.issue} received by the emulator${s.requests.issue === s.issued ? ', one per token' : ''}`,
        ],
        ['limit checks', `${s.requests.listKeyIds} key-id listings, before issuing`],
        [
          'revocations',
          `${s.revoked} of ${rotations} superseded tokens (${s.requests.revoke} revoke requests)`,
        ],
        [
          'max live tokens',
          `${s.maxLive} at once (LINE allows 30); ${s.liveAtEnd} live at the end, the current one`,
        ],
        [
          'calls served',
          `${s.calls}, ${s.calls - s.rejected === s.calls ? 'all' : s.calls - s.rejected} accepted`,
        ],
        ['expired tokens served', String(s.rejected)],
        [
          'manager status',
          `issued ${s.managerCounts.issued}, revoked ${s.managerCounts.revocations}, ` +
            `refresh cycles ${s.managerCounts.refreshes}, failures ${s.managerCounts.failures}`,
        ],
      ],
      style,
    ),
    '',
    problems.length === 0
      ? style.green('ok: every promise of the manager held in this run')
      : style.red(`not ok: ${problems.join('; ')}`),
  ];
}
