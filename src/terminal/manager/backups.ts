// The manager's backup panel (docs/backup.md): where backups go, this terminal's newest ones, the
// daily backup's failing streak, when the recovery key was shown, and "back up now" (a manual backup,
// kept until a person removes it, written by the same worker as the daily one so the desk answers).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupFileView, BackupStatus } from '../../contract/managerTypes';
import type { Translator } from '../../i18n';
import { BACKUP_EXTENSION, backupFolderFor, makeBackupInBackground } from '../../store/backup';
import { readIdentity } from '../../store/meta';
import { keyOfConnection, type Db } from '../../store/open';
import { readBackupFailure } from '../../store/opsFailures';
import { recoveryStatus } from '../../store/recoveryKey';

const NAME = /^(daily|manual)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-(.+)$/;
const SHOWN = 10;

/** This terminal's backups in the folder, newest first (another terminal's and anything else are not ours to show). */
function listBackups(folder: string, terminalId: string): BackupFileView[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const safe = terminalId.replace(/[^A-Za-z0-9_.-]/g, '_');
  return names
    .flatMap((name): BackupFileView[] => {
      if (!name.endsWith(BACKUP_EXTENSION)) return [];
      const m = NAME.exec(name.slice(0, -BACKUP_EXTENSION.length));
      if (!m || m[8] !== safe) return [];
      const at = Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7]));
      try {
        return [{ name, kind: m[1] as BackupFileView['kind'], at, bytes: statSync(join(folder, name)).size }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.at - a.at || b.name.localeCompare(a.name));
}

export function backupStatus(db: Db, tr: Translator): BackupStatus {
  const identity = readIdentity(db);
  const folder = backupFolderFor(db.name);
  const all = identity ? listBackups(folder, identity.terminalId) : [];
  const failure = readBackupFailure(db);
  return {
    possible: identity !== null && keyOfConnection(db) !== null,
    folder,
    lastDaily: all.find((b) => b.kind === 'daily') ?? null,
    recent: all.slice(0, SHOWN),
    failure: failure && { since: failure.since, lastAt: failure.lastAt, failures: failure.failures, message: tr.error(failure.code, { cause: failure.cause }) },
    recoveryShownAt: recoveryStatus(db).shownAt,
  };
}

/** A manual backup now, beside the daily ones. */
export async function backUpNow(db: Db, now: number): Promise<BackupFileView> {
  const made = await makeBackupInBackground(db, keyOfConnection(db), { kind: 'manual', now });
  return { name: made.path.split(/[\\/]/).at(-1)!, kind: 'manual', at: made.header.createdAt, bytes: made.bytes };
}
