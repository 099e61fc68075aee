// What the status bar says about this terminal itself: who it is, its store, when it last synced
// and how far its clock is from HQ's. Devices (printer, scanners) are added by the host.
import type { DeskStatus } from '../../contract/terminalApi';
import { getMeta } from '../../store/meta';
import { getStoreName } from '../../store/stores';
import { getSyncState } from '../../store/syncState';
import { SKEW_WARN_MS } from '../../sync/protocol';
import type { ServiceDeps } from './deps';
import { lockedUntil } from './staffAuth';
import { operatingDay } from './businessDay';

export function statusFacts(deps: ServiceDeps): Omit<DeskStatus, 'printer' | 'pendingSync' | 'scanner'> {
  const now = deps.clock();
  const day = operatingDay(deps, now);
  const lastSync = getMeta(deps.db, 'last_sync_at');
  // The clock skew the last sync measured (src/syncClient/syncRun.ts keeps it in sync_state).
  const skewText = getSyncState(deps.db, 'clock_skew_ms');
  const skew = skewText === null ? null : Number(skewText);
  const clockSkewMs = skew !== null && Number.isFinite(skew) ? skew : null;
  return {
    storeId: deps.identity.storeId,
    storeName: getStoreName(deps.db, deps.identity.storeId),
    terminalId: deps.identity.terminalId,
    tz: deps.identity.tz,
    lockedUntil: lockedUntil(deps, now),
    day: { date: day.date, afterClose: day.afterClose },
    hq: {
      online: deps.connectivity().online,
      lastSyncAt: lastSync === null ? null : Number(lastSync),
      clockSkewMs,
      clockSkewWarning: clockSkewMs !== null && Math.abs(clockSkewMs) > SKEW_WARN_MS,
    },
  };
}
