// The desk's automatic backup (docs/backup.md): while the desk runs, once per store day, a daily
// backup into the backup folder beside the data folder, rotated as it is made (7 daily, 4 weekly). Checked
// a minute after start and then hourly, so a desk that is only open in the afternoon still gets its
// backup, and one left running over night gets the next day's. A failure is reported and retried at
// the next check; it never stops the desk. Another backup running (BACKUP_BUSY) is no failure once;
// BUSY_CHECKS_TO_FAIL checks in a row are (a stuck lock, a command that never ends), said as cause `busy`.
import { DeskError } from '../contract/errors';
import { businessDate } from '../loyalty/time';
import { backupFolderFor, makeBackupInBackground, type BackupMade } from '../store/backup';
import { listDailyBackups } from '../store/backupRotation';
import { backupFailureCause } from '../store/backupFailureCause';
import { readIdentity } from '../store/meta';
import { keyOfConnection, type Db } from '../store/open';
import { clearBackupFailure, readBackupFailure, recordBackupFailure } from '../store/opsFailures';

/** Three hourly checks refused in a row: no backup lasts that long, so doctor says so. */
export const BUSY_CHECKS_TO_FAIL = 3;

export interface DailyBackups {
  /** Makes today's backup when there is none yet (what the timer calls); null when not due. */
  check(): Promise<BackupMade | null>;
  stop(): Promise<void>;
}

export interface DailyBackupOptions {
  clock?: () => number;
  firstCheckMs?: number;
  checkEveryMs?: number;
  onError?: (err: unknown) => void;
}

export function startDailyBackups(db: Db, options: DailyBackupOptions = {}): DailyBackups {
  const clock = options.clock ?? Date.now;
  let running: Promise<BackupMade | null> | null = null;
  let stopped = false;
  // In memory: a restart starts counting again (at most BUSY_CHECKS_TO_FAIL hours later than it could).
  let busy: { since: number; checks: number } | null = null;

  const due = (now: number): boolean => {
    const identity = readIdentity(db);
    if (!identity || keyOfConnection(db) === null) return false;
    const last = listDailyBackups(backupFolderFor(db.name), identity.terminalId).at(-1);
    return !last || businessDate(last.at, identity.tz) !== businessDate(now, identity.tz);
  };

  const run = async (): Promise<BackupMade | null> => {
    const now = clock();
    if (stopped || !db.open || !due(now)) return null;
    try {
      const made = await makeBackupInBackground(db, keyOfConnection(db), { kind: 'daily', now });
      busy = null;
      if (db.open && readBackupFailure(db) !== null) clearBackupFailure(db);
      return made;
    } catch (err) {
      // A folder that cannot be made is an fs error, not yet a DeskError: worded as a failed backup all the same.
      const said = err instanceof DeskError ? err : new DeskError('BACKUP_FAILED', { cause: backupFailureCause(err) }, err);
      // Kept in the database, so doctor and the manager's backup panel say "failing since".
      try {
        // Another backup of this folder running (立即备份, the command) is no failure: the next check makes today's.
        // Refused check after check, it is: the streak starts at the first refusal and counts them all.
        if (said.code === 'BACKUP_BUSY') {
          busy = { since: busy?.since ?? now, checks: (busy?.checks ?? 0) + 1 };
          if (db.open && busy.checks >= BUSY_CHECKS_TO_FAIL) recordBackupFailure(db, said, now, { since: busy.since, failures: busy.checks });
        } else {
          busy = null;
          if (db.open) recordBackupFailure(db, said, now);
        }
      } catch {
        // The host's error sink still hears of it.
      }
      throw said;
    }
  };

  const check = (): Promise<BackupMade | null> => {
    // One at a time: a check while a backup is being written waits for it.
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };
  const tick = () =>
    void check().catch((err: unknown) => {
      options.onError?.(err);
    });
  const first = setTimeout(tick, options.firstCheckMs ?? 60_000);
  const every = setInterval(tick, options.checkEveryMs ?? 60 * 60_000);
  first.unref();
  every.unref();
  return {
    check,
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running?.catch(() => null);
    },
  };
}
