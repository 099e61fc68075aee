// HQ for the desk hosts: a terminal enrolled with HQ (src/sync) syncs in the background and its
// connectivity drives "HQ online/offline" and the offline risk limits; demo data without HQ stays offline.
import { getSyncState } from '../store/syncState';
import { startSyncLoop, type SyncLoop } from '../syncClient/syncLoop';
import type { OpenedTerminal } from '../terminal/operations/openTerminal';

export function startSyncIfEnrolled(terminal: OpenedTerminal): SyncLoop | null {
  if (getSyncState(terminal.db, 'hq_url') === null || getSyncState(terminal.db, 'credential') === null) return null;
  return startSyncLoop(terminal.db);
}
