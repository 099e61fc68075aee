// HQ for the desk hosts: a terminal enrolled with HQ (src/syncClient) syncs in the background and its
// connectivity drives "HQ online/offline" and the offline risk limits; demo data without HQ stays offline.
import { isEnrolled } from '../syncClient/enroll';
import { startSyncLoop, type SyncLoop } from '../syncClient/syncLoop';
import type { OpenedTerminal } from '../terminal/operations/openTerminal';
import type { Logger } from '../log/port';

export function startSyncIfEnrolled(terminal: OpenedTerminal, log?: Logger): SyncLoop | null {
  if (!isEnrolled(terminal.db)) return null;
  return startSyncLoop(terminal.db, log ? { log } : {});
}
