/**
 * `diagnose()`: the checklist behind `line-token doctor`, as a library call a bot can run
 * at start-up and log. It never issues a v2.1 or short-lived token: the key-id listing
 * takes an assertion and issues nothing, the secret is checked with a stateless issue
 * (unlimited, never stored, dropped at once) and a token is only verified.
 *
 * @module
 */
import { type AssertionKey, type ConsolePublicJwk } from '../assertion/index.js';
import { DEFAULT_ASSERTION_LIFETIME_SEC } from '../assertion/constants.js';
import { MAX_ASSERTION_LIFETIME_SEC } from '../line/facts.js';
import { checkChannelId } from '../assertion/checks.js';
import { ChannelAccessTokenClient } from '../client/client.js';
import { CLIENT_DEFAULTS } from '../client/defaults.js';
import type { FetchLike, IssuedToken } from '../client/types.js';
import { causeCode } from '../internal/cause-code.js';
import { custom, passThrough, readOptions, type OptionsSpec } from '../internal/options-spec.js';
import { measuredSkewMs, recordingFetch, type ClockSample } from './internal/clock.js';
import { checkAssertion, checkKey, checkKeyKid } from './internal/key-checks.js';
import { attempt, verifyToken, type Answer, type TokenAnswer } from './internal/line-calls.js';
import {
  kidFinding,
  secretFinding,
  secretShapeOk,
  slotsFinding,
  tokenFinding,
} from './internal/line-checks.js';
import type { DiagnoseOptions, Diagnosis, Finding } from './types.js';

/** Clock offsets up to this many ms are measurement noise, not a finding. */
export const CLOCK_TOLERANCE_MS = 5_000;

/**
 * Clock offsets beyond this many ms fail the clock check: token expiries and assertion
 * lifetimes are then off by as much, and a little more breaks every assertion.
 */
export const CLOCK_FAIL_MS = 60_000;

function clockFinding(skewMs: number | undefined): Finding {
  const title = 'local clock vs LINE';
  if (skewMs === undefined) {
    return {
      id: 'clock',
      status: 'skip',
      title,
      detail: "not checked: no answer with LINE's Date header",
    };
  }
  const sec = Math.round(Math.abs(skewMs) / 1000);
  const data = { skewMs };
  if (Math.abs(skewMs) <= CLOCK_TOLERANCE_MS) {
    return {
      id: 'clock',
      status: 'pass',
      title,
      detail: `within ${CLOCK_TOLERANCE_MS / 1000} s of LINE's clock`,
      data,
    };
  }
  const way = skewMs > 0 ? 'ahead of' : 'behind';
  // Assertions are signed with exp = now + lifetime; LINE refuses exp in the past or
  // more than 30 minutes ahead of its own clock.
  const breaks =
    skewMs < 0
      ? -skewMs >= DEFAULT_ASSERTION_LIFETIME_SEC * 1000
      : skewMs > (MAX_ASSERTION_LIFETIME_SEC - DEFAULT_ASSERTION_LIFETIME_SEC) * 1000;
  const effect = breaks
    ? ': LINE refuses every assertion signed here (Invalid exp)'
    : ': expiry times and assertion lifetimes are off by as much, and longer assertion lifetimes are refused';
  return {
    id: 'clock',
    status: Math.abs(skewMs) > CLOCK_FAIL_MS ? 'fail' : 'warn',
    title,
    detail: `this clock is ${sec} s ${way} LINE's${effect}`,
    fix: 'sync the clock with NTP (e.g. `timedatectl set-ntp true`, or chrony)',
    data,
  };
}

const skip = (id: string, title: string, detail: string): Finding => ({
  id,
  status: 'skip',
  title,
  detail,
});

// Only the channel id is checked here: a bad key, secret or token is a finding, not a throw,
// and the client checks what it is given (baseUrl, now, fetch, timeoutMs, signal).
/** The reader of each option (see internal/options-spec.ts); internal. */
export const DIAGNOSE_SPEC = {
  channelId: custom((v) => checkChannelId(v)),
  kid: passThrough<string>(),
  privateKey: passThrough<DiagnoseOptions['privateKey']>(),
  channelSecret: passThrough<string>(),
  token: passThrough<string>(),
  storedKeyIds: passThrough<readonly string[]>(),
  baseUrl: passThrough<string>(),
  now: passThrough<() => number>(),
  fetch: passThrough<FetchLike>(),
  timeoutMs: passThrough<number>(),
  signal: passThrough<AbortSignal>(),
} satisfies OptionsSpec<DiagnoseOptions>;

/**
 * Runs every check the options allow and answers the findings; it never throws for a bad
 * key, a refusal or an unreachable LINE (those are findings), only for a bad `channelId`
 * or an abort.
 *
 * @throws InvalidArgumentError when `channelId` is not a channel id, or an option is not one
 *   of diagnose()'s (a misspelt `privatekey` would otherwise skip the key checks silently).
 *
 * @example
 * ```ts
 * const { ok, findings } = await diagnose({ channelId, kid, privateKey, channelSecret });
 * for (const f of findings) if (f.status === 'fail') log.error(`${f.title}: ${f.detail}. Fix: ${f.fix}`);
 * ```
 */
export async function diagnose(given: DiagnoseOptions): Promise<Diagnosis> {
  // `diagnose()` with no options is refused by checkChannelId.
  const options = readOptions(DIAGNOSE_SPEC, given, { where: 'diagnose()' });
  const channelId = options.channelId;
  const now = options.now ?? Date.now;
  const baseUrl = options.baseUrl ?? CLIENT_DEFAULTS.baseUrl;
  const samples: ClockSample[] = [];
  const inner: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const client = new ChannelAccessTokenClient({
    baseUrl,
    now,
    fetch: recordingFetch(inner, now, samples),
    timeoutMs: options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs,
    // A diagnosis reports what LINE answers now; backing off would only hide it.
    retry: false,
  });
  const signal = options.signal;
  const request = signal ? { signal } : {};
  const findings: Finding[] = [];

  // Local checks: the key and an assertion signed here.
  let key: AssertionKey | undefined;
  let publicJwk: ConsolePublicJwk | undefined;
  let assertion: string | undefined;
  const { kid, privateKey } = options;
  if (privateKey === undefined) {
    findings.push(
      skip(
        'key',
        'private key',
        'not checked: no private key given (the assertion checks need it and a kid)',
      ),
    );
  } else {
    const checked = await checkKey(privateKey);
    findings.push(checked.finding);
    key = checked.key;
    publicJwk = checked.publicJwk;
    if (key !== undefined && kid === undefined) {
      findings.push(skip('assertion', 'assertion (signed here)', 'not checked: no kid given'));
    } else if (key !== undefined && kid !== undefined) {
      findings.push(checkKeyKid(key, kid));
      const signed = await checkAssertion({ channelId, kid, key, publicJwk, now });
      findings.push(signed.finding);
      assertion = signed.assertion;
    }
  }

  // LINE: each call only after the previous one reached it.
  let unreachable: Error | undefined;
  const call = async <T>(fn: () => Promise<T>): Promise<Answer<T> | undefined> => {
    if (unreachable !== undefined) return undefined;
    const answer = await attempt(fn);
    if (answer.kind === 'unreachable') unreachable = answer.error;
    return answer;
  };
  const kids =
    assertion !== undefined
      ? await call(() => client.getValidKeyIds({ assertion }, request))
      : undefined;
  const secretText = options.channelSecret;
  const secret: Answer<IssuedToken> | undefined =
    secretText !== undefined
      ? await call(() => client.issueStateless({ channelId, channelSecret: secretText }, request))
      : undefined;
  let token: TokenAnswer | undefined;
  if (options.token !== undefined && unreachable === undefined) {
    token = await verifyToken(client, options.token, signal);
    if (token.kind === 'unreachable') unreachable = token.error;
  }
  if (kids === undefined && secret === undefined && token === undefined) {
    // Nothing else talked to LINE: one verify of a dummy token, answered 400, dates LINE's clock.
    await call(() => client.verify({ accessToken: 'line-token-doctor-probe' }, request));
  }

  findings.push(
    unreachable === undefined
      ? { id: 'line', status: 'pass', title: 'LINE reachable', detail: `${baseUrl} answered` }
      : {
          id: 'line',
          status: 'fail',
          title: 'LINE reachable',
          detail: `cannot reach ${baseUrl}: ${unreachable.message}${causeCode(unreachable)}`,
          fix: 'check the base URL (--base-url, LINE_API_BASE_URL), the network and any proxy, then rerun',
        },
  );
  findings.push(clockFinding(measuredSkewMs(samples)));
  if (kids === undefined) {
    findings.push(skip('kid', 'assertion key at LINE', 'not checked: needs a usable key and kid'));
  } else if (kid !== undefined) {
    findings.push(kidFinding({ channelId, kid, kids, secret, publicJwk }));
  }
  findings.push(
    secret !== undefined
      ? secretFinding({ channelId, secret, kids, shapeOk: secretShapeOk(secretText ?? '') })
      : skip(
          'secret',
          'channel secret',
          secretText === undefined
            ? 'not checked: no channel secret given'
            : 'not checked: LINE could not be reached',
        ),
  );
  findings.push(
    kids?.kind === 'ok'
      ? slotsFinding(kids.value, options.storedKeyIds)
      : skip('slots', 'v2.1 token slots', 'not checked: needs an assertion LINE accepts'),
  );
  findings.push(
    token !== undefined
      ? tokenFinding(channelId, token)
      : skip(
          'token',
          'token',
          options.token === undefined
            ? 'not checked: no token given'
            : 'not checked: LINE could not be reached',
        ),
  );
  return {
    ok: findings.every((f) => f.status !== 'fail'),
    unreachable: unreachable !== undefined,
    findings,
  };
}
