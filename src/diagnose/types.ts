/**
 * The shapes of a diagnosis: what {@link diagnose} takes and the findings it answers.
 *
 * @module
 */
import type { AssertionKey, PrivateKeyInput } from '../assertion/index.js';
import type { FetchLike } from '../client/types.js';

/** How one check came out. `warn` is a finding that does not fail the run. */
export type FindingStatus = 'pass' | 'warn' | 'fail' | 'skip';

/**
 * The checks {@link diagnose} runs, in the order it reports them. The CLI adds its own
 * file checks (`key-file`, `key-permissions`) in front.
 */
export type CheckId =
  'key' | 'key-kid' | 'assertion' | 'line' | 'clock' | 'kid' | 'secret' | 'slots' | 'token';

/**
 * One line of the checklist. Never holds a secret, a private key or a token: only ids,
 * counts, times, LINE's own error texts and, when the kid is not registered, the public
 * JWK to paste into the Console.
 */
export interface Finding {
  /** Which check, e.g. `kid`. */
  id: CheckId | (string & {});
  /** The outcome. */
  status: FindingStatus;
  /** What was checked, e.g. `assertion key at LINE`. */
  title: string;
  /** What was found, in one sentence. */
  detail: string;
  /** What to do about a `fail` or `warn`, in one sentence. */
  fix?: string;
  /** Facts for machines: counts, offsets, the public JWK to register. */
  data?: Record<string, unknown>;
}

/** The answer of {@link diagnose}. */
export interface Diagnosis {
  /** `true` when no finding has status `fail`. */
  ok: boolean;
  /** `true` when LINE (or the configured base URL) could not be reached at all. */
  unreachable: boolean;
  /** The checklist, in order. */
  findings: Finding[];
}

/** What {@link diagnose} checks. Everything but `channelId` is optional; absent parts are skipped. */
export interface DiagnoseOptions {
  /** The channel id (digits), as the Console shows it. */
  channelId: string;
  /**
   * The assertion key id the Console answered. Needed, with `privateKey`, for the assertion checks.
   *
   * @defaultValue none (the assertion checks are skipped)
   */
  kid?: string | undefined;
  /**
   * The private key in any accepted form (JWK or PEM text, JWK object, snippet pair).
   *
   * @defaultValue none (the assertion checks are skipped)
   */
  privateKey?: PrivateKeyInput | AssertionKey | undefined;
  /**
   * The channel secret; checked with a stateless issue, which LINE neither limits nor stores.
   *
   * @defaultValue none (the secret is not checked)
   */
  channelSecret?: string | undefined;
  /**
   * A token to verify: its family, channel and remaining life are reported.
   *
   * @defaultValue none (no token is verified)
   */
  token?: string | undefined;
  /**
   * LINE's `key_id`s of the v2.1 tokens a local store holds, so the slot check can say how
   * many of the channel's live tokens are accounted for. Default: not reported.
   *
   * @defaultValue none (not reported)
   */
  storedKeyIds?: readonly string[] | undefined;
  /**
   * API base URL.
   *
   * @defaultValue `'https://api.line.me'`
   */
  baseUrl?: string | undefined;
  /**
   * The local clock, epoch milliseconds, compared with LINE's `Date` header.
   *
   * @defaultValue `Date.now`
   */
  now?: (() => number) | undefined;
  /**
   * A `fetch`-shaped function.
   *
   * @defaultValue `globalThis.fetch`
   */
  fetch?: FetchLike | undefined;
  /**
   * How long each request may take, ms.
   *
   * @defaultValue 10000
   */
  timeoutMs?: number | undefined;
  /**
   * Aborts the checks that talk to LINE.
   *
   * @defaultValue none
   */
  signal?: AbortSignal | undefined;
}

/** A likely cause of a refusal and what to do about it (see {@link explainLineFailure}). */
export interface FailureExplanation {
  /** The likely cause, e.g. `the kid is registered on another channel`. */
  cause: string;
  /** What to do, in one sentence. */
  fix: string;
}
