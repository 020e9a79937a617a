// The local clock against LINE's `Date` header. The header has whole seconds and the
// answer took a while to come back, so LINE's time lies in a window; only the part of the
// offset outside that window is measured skew. A slow answer widens the window, never
// fakes a skew, which keeps the check honest on a busy machine or a slow network.
import type { FetchLike } from '../../client/types.js';

/** One answer from LINE: when we sent, when it came back (local clock) and its `Date`. */
export interface ClockSample {
  sentAt: number;
  receivedAt: number;
  serverDateMs: number;
}

/** A fetch that records a {@link ClockSample} for every answer carrying a `Date` header. */
export function recordingFetch(
  inner: FetchLike,
  now: () => number,
  samples: ClockSample[],
): FetchLike {
  return async (url, init) => {
    const sentAt = now();
    const res = await inner(url, init);
    const receivedAt = now();
    const date = res.headers.get('date');
    const serverDateMs = date === null ? Number.NaN : Date.parse(date);
    if (Number.isFinite(serverDateMs)) samples.push({ sentAt, receivedAt, serverDateMs });
    return res;
  };
}

/**
 * The smallest offset (ms, positive when the local clock is ahead) the samples prove,
 * or `undefined` without a sample. LINE's time at the answer was in
 * [date, date + 1 s), and that moment was between `sentAt` and `receivedAt` locally.
 */
export function measuredSkewMs(samples: readonly ClockSample[]): number | undefined {
  let best: number | undefined;
  for (const s of samples) {
    const ahead = s.sentAt - (s.serverDateMs + 1000);
    const behind = s.serverDateMs - s.receivedAt;
    const skew = ahead > 0 ? ahead : behind > 0 ? -behind : 0;
    // Several samples: the one closest to zero is the one the window proves at least.
    if (best === undefined || Math.abs(skew) < Math.abs(best)) best = skew;
  }
  return best;
}
