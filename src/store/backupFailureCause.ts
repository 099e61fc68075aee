// A failed backup's cause narrowed to the closed list (src/contract/backupFailure.ts): the raw
// errno or SQLite code and the error's English message stay out of what is kept and shown.
import { backupFailureCauseSchema, type BackupFailureCause } from '../contract/backupFailure';

const BY_CODE: Record<string, BackupFailureCause> = {
  ENOSPC: 'disk_full',
  EDQUOT: 'disk_full',
  EFBIG: 'disk_full',
  SQLITE_FULL: 'disk_full',
  EACCES: 'no_permission',
  EPERM: 'no_permission',
  SQLITE_PERM: 'no_permission',
  SQLITE_AUTH: 'no_permission',
  EROFS: 'read_only',
  SQLITE_READONLY: 'read_only',
  ENOENT: 'not_found',
  ENOTDIR: 'not_found',
  // A folder where the file goes, a name already taken: the folder is there, so not `not_found`.
  EISDIR: 'other',
  EEXIST: 'other',
  ENODEV: 'not_found',
  ENXIO: 'not_found',
  SQLITE_CANTOPEN: 'not_found',
  EBUSY: 'busy',
  ETXTBSY: 'busy',
  EAGAIN: 'busy',
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
};

// A worker thread hands back only a message: SQLite's and the OS's own words for the common cases.
const BY_MESSAGE: [RegExp, BackupFailureCause][] = [
  [/disk is full|no space left/i, 'disk_full'],
  [/permission denied|operation not permitted/i, 'no_permission'],
  [/read-only|readonly/i, 'read_only'],
  [/unable to open database file|no such file or directory|not a directory/i, 'not_found'],
  [/database is locked|resource busy/i, 'busy'],
];

function ofCode(code: unknown): BackupFailureCause | null {
  if (typeof code !== 'string') return null;
  if (code in BY_CODE) return BY_CODE[code]!;
  // SQLite's extended codes (SQLITE_READONLY_DBMOVED, SQLITE_IOERR_…) fall back to their primary code.
  const primary = /^(SQLITE_[A-Z]+)_/.exec(code)?.[1];
  return primary && primary in BY_CODE ? BY_CODE[primary]! : null;
}

/** The first cause found along the error's `cause` chain (bounded), else `other`. */
export function backupFailureCause(err: unknown): BackupFailureCause {
  let at: unknown = err;
  for (let depth = 0; depth < 8 && at !== null && typeof at === 'object'; depth++) {
    const e = at as { code?: unknown; message?: unknown; cause?: unknown; params?: unknown };
    // Our own refusals first: a BACKUP_FAILED already carries its cause, another backup running is `busy`.
    if (e.code === 'BACKUP_FAILED') {
      const said = backupFailureCauseSchema.safeParse((e.params as { cause?: unknown } | undefined)?.cause);
      if (said.success) return said.data;
    }
    if (e.code === 'BACKUP_BUSY') return 'busy';
    const known = ofCode(e.code);
    if (known) return known;
    if (typeof e.message === 'string') {
      const hit = BY_MESSAGE.find(([re]) => re.test(e.message as string));
      if (hit) return hit[1];
    }
    at = e.cause;
  }
  return 'other';
}
