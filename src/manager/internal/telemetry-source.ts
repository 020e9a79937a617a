/**
 * The view of a manager the telemetry reads (family, channel, clock, snapshots), built once
 * per manager so its gauges keep reading the same one.
 *
 * @module
 */
import type { TelemetrySource } from '../../telemetry/types.js';
import type { TokenManagerStatus } from '../types.js';
import type { GuardedIssuer } from './guarded-issue.js';
import type { Issuer } from './issuer.js';

/** What the telemetry reads of a manager: its family, channel, clock and snapshots. */
export function telemetrySource(
  issuer: Issuer,
  now: () => number,
  source: { status(): TokenManagerStatus },
  issues: GuardedIssuer,
): TelemetrySource {
  return {
    family: issuer.type,
    channelId: issuer.channelId,
    now,
    status: () => source.status(),
    liveKeyIds: () => issues.lastKeyIds,
  };
}
