// Checks shared by the operations: refusals turned into typed errors, and the offline risk limits.
import { DeskError } from '../../contract/errors';
import { checkOfflineRisk } from '../../loyalty/offlineRisk';
import type { Refusal } from '../../loyalty/refusal';
import { getMeta } from '../../store/meta';
import { adjustLot } from '../../store/members';
import { unsyncedExposure, type LedgerEntry } from '../../store/operations';
import type { ServiceDeps } from './deps';

export function refused(r: Refusal): never {
  throw new DeskError(r.reason, r.params);
}

export function isOffline(deps: ServiceDeps): boolean {
  return !deps.connectivity().online;
}

/** While offline, the limits HQ set decide whether this terminal may take on more unsynced value. */
export function enforceOfflineRisk(deps: ServiceDeps, memberId: string, op: { valueFen: number; pointsBurned: number }, now: number): void {
  const lastSync = getMeta(deps.db, 'last_sync_at');
  const exposure = unsyncedExposure(deps.db, memberId);
  const refusal = checkOfflineRisk(deps.rules.offline, op, {
    now,
    lastSyncAt: lastSync === null ? null : Number(lastSync),
    unsyncedValueFen: exposure.valueFen,
    memberUnsyncedPoints: exposure.memberPointsBurned,
  });
  if (refusal) refused(refusal);
}

/** Takes points out of the planned lots and returns the ledger entries that say so. */
export function burnLots(deps: ServiceDeps, allocations: { lotId: number; points: number }[]): LedgerEntry[] {
  return allocations.map((a) => {
    adjustLot(deps.db, a.lotId, -a.points);
    return { account: 'points', delta: -a.points, valueFen: 0, lotId: a.lotId, ref: null };
  });
}
