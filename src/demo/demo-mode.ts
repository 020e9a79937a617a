/**
 * Demo mode: the embedded emulator, a fresh key pair registered the way the Console does
 * it, and the token manager run through several v2.1 rotations on a virtual clock, with
 * a timeline of what happened and a summary that checks the manager's promises.
 *
 * @module
 */
import { generateKeyPair } from '../assertion/index.js';
import { ChannelAccessTokenClient } from '../client/client.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { LineApiError } from '../errors.js';
import { TokenManager } from '../manager/manager.js';
import { renderIntro, type DemoSummary } from './report.js';
import { formatSpan, TimelinePrinter, type Style } from './timeline.js';
import { TokenTracker } from './tracker.js';
import { seededRandom } from '../internal/seeded-random.js';
import { VirtualClock } from './virtual-clock.js';

/** Lifetime of the demo's v2.1 tokens, seconds: one day, so rotations come every ~19 hours. */
export const DEMO_TOKEN_EXP_SEC = 86_400;
/** Rotations (refreshes after the first token) the demo runs through. */
export const DEMO_ROTATIONS = 5;
/** How far the virtual clock moves between rounds of calls, ms. */
export const DEMO_STEP_MS = 4 * 3_600_000;
/** "Messaging API calls" made per step. */
export const DEMO_CALLS_PER_STEP = 5;
/** Seed of the jitter, so every run shows the same timeline. */
export const DEMO_SEED = 20_240_601;

// A safety net: the rotations above need about 25 steps; a manager that stopped
// rotating must end the demo with an error, not loop forever.
const MAX_STEPS = 200;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Prints one line of the timeline (stdout). */
  write: (line: string) => void;
  style: Style;
  /** Default {@link DEMO_ROTATIONS}. */
  rotations?: number;
  /** Default {@link DEMO_TOKEN_EXP_SEC}. */
  tokenExpSec?: number;
}

/**
 * Runs the demo to the end and answers what it saw; the caller decides the exit code
 * from {@link demoProblems}. The emulator and the manager are closed however
 * it ends.
 *
 * @example
 * ```ts
 * const summary = await runDemo({ write: console.log, style: styleFor(false, {}) });
 * process.exitCode = demoProblems(summary).length === 0 ? 0 : 1;
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const rotations = options.rotations ?? DEMO_ROTATIONS;
  const tokenExpSec = options.tokenExpSec ?? DEMO_TOKEN_EXP_SEC;
  // Whole hours make the relative times read cleanly.
  const origin = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const clock = new VirtualClock(origin);
  const emulator = await startEmulator({ now: clock.now });
  try {
    return await rotate(emulator, clock, { ...options, rotations, tokenExpSec });
  } finally {
    await emulator.close();
  }
}

async function rotate(
  emulator: Emulator,
  clock: VirtualClock,
  options: DemoOptions & { rotations: number; tokenExpSec: number },
): Promise<DemoSummary> {
  const { admin } = emulator;
  const origin = clock.now();
  const channel = await admin.createChannel();
  const { privateJwk, publicJwk } = await generateKeyPair();
  const { kid } = await admin.registerKey(channel.id, publicJwk);
  const client = new ChannelAccessTokenClient({
    baseUrl: emulator.url,
    retry: false,
    now: clock.now,
  });
  const printer = new TimelinePrinter({
    write: options.write,
    style: options.style,
    originMs: origin,
  });
  for (const line of renderIntro({
    url: emulator.url,
    channelId: channel.id,
    kid,
    tokenExpSec: options.tokenExpSec,
    stepMs: DEMO_STEP_MS,
    callsPerStep: DEMO_CALLS_PER_STEP,
    style: options.style,
  })) {
    options.write(line);
  }

  const tracker = new TokenTracker({ now: clock.now, originMs: origin });
  let maxLive = 0;
  let calls = 0;
  let rejected = 0;
  const manager = new TokenManager({
    strategy: {
      type: 'v2.1',
      channelId: channel.id,
      kid,
      privateKey: privateJwk,
      tokenExpSec: options.tokenExpSec,
      channelSecret: channel.secret,
    },
    client,
    now: clock.now,
    timers: clock,
    random: seededRandom(DEMO_SEED),
    // The refresh runs on the manager's own timer at the refresh time, as in a service
    // that keeps its token warm between requests.
    refresh: { keepWarm: true },
    // The summary reports the current token as live at the end, as a service that is
    // restarted with a shared store would leave it; live mode shows revokeOnClose.
    revoke: { onClose: false },
    ...tracker.hooks,
  });

  const liveCount = async (): Promise<number> => {
    const live = (await admin.listTokens(channel.id)).filter((t) => t.family === 'v2.1').length;
    maxLive = Math.max(maxLive, live);
    return live;
  };
  const flush = async (): Promise<number> => {
    const live = await liveCount();
    for (const row of tracker.drain()) printer.row({ ...row, live });
    return live;
  };
  const settle = async (): Promise<void> => {
    await manager.idle();
    await flush();
  };
  const callRound = async (): Promise<void> => {
    const served = await Promise.all(
      Array.from({ length: DEMO_CALLS_PER_STEP }, async () => {
        const token = await manager.getToken();
        // Stands in for a Messaging API request: LINE checks the token the same way.
        const accepted = await client.verifyV21({ accessToken: token }).then(
          () => true,
          (err: unknown) => {
            if (err instanceof LineApiError) return false;
            throw err;
          },
        );
        return { tracked: tracker.lookup(token), accepted };
      }),
    );
    await manager.idle();
    const live = await flush();
    const ok = served.filter((s) => s.accepted).length;
    calls += served.length;
    rejected += served.length - ok;
    const numbers = [...new Set(served.map((s) => s.tracked?.n))];
    const current = served[0]?.tracked;
    const left =
      current === undefined ? '' : `; it expires in ${formatSpan(current.expiresAt - clock.now())}`;
    printer.row({
      at: clock.now(),
      event: 'calls',
      token: numbers.length === 1 ? numbers[0] : undefined,
      live,
      detail: `${served.length} served, ${ok} accepted${left}`,
    });
  };

  printer.header();
  let steps = 0;
  try {
    await callRound();
    while (!(tracker.issued > options.rotations && tracker.revoked >= tracker.issued - 1)) {
      if (++steps > MAX_STEPS) break;
      await clock.advanceTo(clock.now() + DEMO_STEP_MS, settle);
      await callRound();
    }
  } finally {
    await manager.close();
  }
  await flush();
  const { counts } = manager.status();
  const stats = (await admin.stats()).requests;
  return {
    spanMs: clock.now() - origin,
    tokenExpSec: options.tokenExpSec,
    wantedRotations: options.rotations,
    issued: tracker.issued,
    revoked: tracker.revoked,
    maxLive,
    liveAtEnd: await liveCount(),
    calls,
    rejected,
    managerCounts: counts,
    requests: {
      issue: stats['issueV21'] ?? 0,
      listKeyIds: stats['getValidKeyIds'] ?? 0,
      revoke: stats['revokeV21'] ?? 0,
    },
  };
}
