// Offline risk limits, as card terminals have them: while HQ cannot be reached, cap what one
// redemption, the whole terminal and one member can take, and stop once the last sync is too old.
import { refuse } from './refusal';
import type { Refusal } from './refusal';
import { HOUR_MS } from './time';
import type { EpochMs, Fen, OfflineRiskLimits } from './types';

export function checkOfflineRisk(
  limits: OfflineRiskLimits,
  op: { valueFen: Fen; pointsBurned: number },
  state: { now: EpochMs; lastSyncAt: EpochMs | null; unsyncedValueFen: Fen; memberUnsyncedPoints: number },
): Refusal | null {
  // Exactly maxHoursSinceSync old is still allowed; a terminal that never synced has no basis at all.
  if (state.lastSyncAt === null || state.now - state.lastSyncAt > limits.maxHoursSinceSync * HOUR_MS) {
    return refuse('OFFLINE_SYNC_TOO_OLD', { hours: limits.maxHoursSinceSync });
  }
  if (op.valueFen > limits.maxValuePerRedemptionFen) {
    return refuse('OFFLINE_VALUE_CAP', { capFen: limits.maxValuePerRedemptionFen });
  }
  if (state.unsyncedValueFen + op.valueFen > limits.maxUnsyncedValueFen) {
    return refuse('OFFLINE_TOTAL_CAP', { capFen: limits.maxUnsyncedValueFen, unsyncedFen: state.unsyncedValueFen });
  }
  if (state.memberUnsyncedPoints + op.pointsBurned > limits.maxPointsBurnedPerMember) {
    return refuse('OFFLINE_POINTS_CAP', { cap: limits.maxPointsBurnedPerMember });
  }
  return null;
}
